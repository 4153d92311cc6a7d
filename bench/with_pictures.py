#!/usr/bin/env python3
"""Adds pictures to a corpus made by ../shared/bench/gen_corpus.py (issue 15's benchmark).

    python3 bench/with_pictures.py CORPUS_DIR [--every 10] [--width 2000] [--height 1500]

Every tenth post (`content/posts/<slug>.md`) becomes a bundle (`<slug>/index.md`) with its own
photo-like JPEG of 2000 x 1500 pixels, shown as its `image:` and in its body. Each picture is
different (a gradient, shapes and noise seeded by the post), so no two share a cache entry.
Needs Pillow (`pip install pillow`). Deterministic.
"""
import argparse
import os
import random

from PIL import Image, ImageDraw, ImageFilter


def picture(seed, width, height):
    rng = random.Random(seed)
    small = Image.new("RGB", (width // 8, height // 8))
    draw = ImageDraw.Draw(small)
    top = [rng.randrange(256) for _ in range(3)]
    bottom = [rng.randrange(256) for _ in range(3)]
    h = small.height
    for y in range(h):
        colour = tuple(int(t + (b - t) * y / h) for t, b in zip(top, bottom))
        draw.line([(0, y), (small.width, y)], fill=colour)
    for _ in range(40):
        x, y = rng.randrange(small.width), rng.randrange(h)
        r = rng.randrange(4, 60)
        draw.ellipse([x - r, y - r, x + r, y + r],
                     fill=tuple(rng.randrange(256) for _ in range(3)))
    big = small.resize((width, height), Image.BICUBIC).filter(ImageFilter.GaussianBlur(3))
    noise = Image.effect_noise((width, height), 24).convert("RGB")
    return Image.blend(big, noise, 0.12)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("corpus")
    parser.add_argument("--every", type=int, default=10)
    parser.add_argument("--width", type=int, default=2000)
    parser.add_argument("--height", type=int, default=1500)
    args = parser.parse_args()
    posts = os.path.join(args.corpus, "content", "posts")
    names = sorted(n for n in os.listdir(posts) if n.endswith(".md"))
    for i, name in enumerate(names):
        if i % args.every:
            continue
        slug = name[:-3]
        with open(os.path.join(posts, name), encoding="utf-8") as f:
            text = f.read()
        head, sep, body = text[4:].partition("\n---\n")
        bundle = os.path.join(posts, slug)
        os.makedirs(bundle, exist_ok=True)
        picture(i, args.width, args.height).save(os.path.join(bundle, "photo.jpg"), quality=85)
        with open(os.path.join(bundle, "index.md"), "w", encoding="utf-8") as f:
            f.write("---\n" + head + "\nimage: photo.jpg\n---\n"
                    + "![A picture for this post](photo.jpg)\n\n" + body)
        os.remove(os.path.join(posts, name))


if __name__ == "__main__":
    main()
