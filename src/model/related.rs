//! Related posts: for each post, up to [`SHOWN`] others that share the most tags with it,
//! each shared tag weighted by how rare it is (`ln(posts / posts with the tag)`), newer
//! first on ties; never the post itself nor a part of its own series.
//!
//! Linear in the number of posts: a post is compared only with the [`WINDOW`] posts on each
//! side of it in the list of each of its tags (the posts nearest in time that share it),
//! found by binary search in that list. With `t` tags a post, `n` posts: O(n · t · (log n +
//! WINDOW)), never every post with every post.

use rayon::prelude::*;

use crate::model::series::SeriesRef;
use crate::model::term::Tag;

/// Other posts with a score.
type Scored = Vec<(usize, f64)>;

/// Related posts shown under a post.
pub(crate) const SHOWN: usize = 3;

/// Posts looked at on each side of a post in the list of one of its tags.
const WINDOW: usize = 24;

/// The related posts of every post (indices into the posts, newest first).
pub(crate) fn related(
    tags: &[Tag],
    post_tags: &[Vec<usize>],
    post_series: &[Option<SeriesRef>],
) -> Vec<Vec<usize>> {
    let total = post_tags.len().max(1) as f64;
    let weight: Vec<f64> = tags
        .iter()
        .map(|t| (total / t.posts.len().max(1) as f64).ln())
        .collect();
    // Each post on its own, on every thread, with its own scratch lists.
    (0..post_tags.len())
        .into_par_iter()
        .map_init(
            || (Vec::new(), Vec::new()),
            |(shared, scores): &mut (Scored, Scored), post| {
                shared.clear();
                scores.clear();
                let series = post_series[post].map(|s| s.series);
                for &t in &post_tags[post] {
                    let list = &tags[t].posts;
                    // The lists are in the posts' order (newest first), as the indices are.
                    let at = list.partition_point(|&p| p < post);
                    let near = &list[at.saturating_sub(WINDOW)..(at + WINDOW + 1).min(list.len())];
                    let same_series = |other: usize| {
                        series.is_some_and(|s| post_series[other].map(|o| o.series) == Some(s))
                    };
                    shared.extend(
                        near.iter()
                            .filter(|&&other| other != post && !same_series(other))
                            .map(|&other| (other, weight[t])),
                    );
                }
                // Each candidate's shared tags side by side, summed (sorting, not searching).
                shared.sort_unstable_by_key(|(p, _)| *p);
                for &(other, w) in shared.iter() {
                    match scores.last_mut() {
                        Some((p, score)) if *p == other => *score += w,
                        _ => scores.push((other, w)),
                    }
                }
                let order =
                    |a: &(usize, f64), b: &(usize, f64)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
                // Only the first few are shown: they are picked, then sorted.
                if scores.len() > SHOWN {
                    scores.select_nth_unstable_by(SHOWN, order);
                    scores.truncate(SHOWN);
                }
                scores.sort_by(order);
                scores.iter().map(|(p, _)| *p).collect()
            },
        )
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(posts: &[usize]) -> Tag {
        Tag {
            name: String::new(),
            slug: String::new(),
            path: String::new(),
            url: String::new(),
            posts: posts.to_vec(),
        }
    }

    #[test]
    fn rare_shared_tags_count_most_and_newer_posts_win_ties() {
        // Posts 0..5, newest first. Tag 0 is on every post; tag 1 only on 1 and 4; tag 2 on
        // 2 and 3.
        let tags = [tag(&[0, 1, 2, 3, 4]), tag(&[1, 4]), tag(&[2, 3])];
        let post_tags = vec![vec![0], vec![0, 1], vec![0, 2], vec![0, 2], vec![0, 1]];
        let none = vec![None; 5];
        let related = related(&tags, &post_tags, &none);
        assert_eq!(related[1], [4, 0, 2]);
        assert_eq!(related[2], [3, 0, 1]);
        assert_eq!(related[0], [1, 2, 3]);
        // A part of the same series is never related.
        let mut series = none.clone();
        series[1] = Some(SeriesRef {
            series: 0,
            position: 0,
        });
        series[4] = Some(SeriesRef {
            series: 0,
            position: 1,
        });
        assert_eq!(super::related(&tags, &post_tags, &series)[1], [0, 2, 3]);
    }
}
