//! Fingerprints: a 128-bit hash of any serializable value, written straight from serde without
//! making text of it (no JSON escaping), so a page's whole context, its HTML body included,
//! is hashed in microseconds. Every value is tagged with its kind and every string and
//! sequence with its length, so two different values do not give the same bytes.

use serde::Serialize;
use serde::ser::{self, Serializer};
use xxhash_rust::xxh3::Xxh3;

/// Strings at least this long go to the hash directly; shorter ones are gathered first.
const DIRECT: usize = 512;

/// Builds a fingerprint from several parts.
pub struct Fingerprinter {
    hasher: Xxh3,
    buffer: Vec<u8>,
}

impl Default for Fingerprinter {
    fn default() -> Self {
        Self::new()
    }
}

impl Fingerprinter {
    pub fn new() -> Self {
        Self {
            hasher: Xxh3::new(),
            buffer: Vec::with_capacity(4096),
        }
    }

    /// Adds raw bytes (with their length).
    pub fn bytes(&mut self, bytes: &[u8]) {
        self.len(bytes.len());
        if bytes.len() >= DIRECT {
            self.flush();
            self.hasher.update(bytes);
        } else {
            self.buffer.extend_from_slice(bytes);
        }
    }

    /// Adds a value.
    pub fn value<T: Serialize + ?Sized>(&mut self, value: &T) {
        // Serializing into the fingerprinter cannot fail.
        let _ = value.serialize(&mut *self);
    }

    /// The fingerprint of everything added.
    pub fn finish(mut self) -> u128 {
        self.flush();
        self.hasher.digest128()
    }

    fn flush(&mut self) {
        if !self.buffer.is_empty() {
            self.hasher.update(&self.buffer);
            self.buffer.clear();
        }
    }

    fn tag(&mut self, tag: u8) {
        self.buffer.push(tag);
    }

    fn len(&mut self, len: usize) {
        self.buffer.extend_from_slice(&(len as u64).to_le_bytes());
    }
}

/// The fingerprint of one value.
pub(crate) fn of<T: Serialize + ?Sized>(value: &T) -> u128 {
    let mut f = Fingerprinter::new();
    f.value(value);
    f.finish()
}

/// Never returned: serializing into a fingerprint cannot fail, but serde needs an error type.
#[derive(Debug)]
pub struct Never(String);

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Never {}

impl ser::Error for Never {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Self(msg.to_string())
    }
}

type Done = Result<(), Never>;

impl<'a> Serializer for &'a mut Fingerprinter {
    type Ok = ();
    type Error = Never;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Done {
        self.tag(1);
        self.buffer.push(u8::from(v));
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Done {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Done {
        self.tag(2);
        self.buffer.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_i128(self, v: i128) -> Done {
        self.tag(3);
        self.buffer.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Done {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Done {
        self.tag(4);
        self.buffer.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_u128(self, v: u128) -> Done {
        self.tag(5);
        self.buffer.extend_from_slice(&v.to_le_bytes());
        Ok(())
    }
    fn serialize_f32(self, v: f32) -> Done {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Done {
        self.tag(6);
        self.buffer.extend_from_slice(&v.to_bits().to_le_bytes());
        Ok(())
    }
    fn serialize_char(self, v: char) -> Done {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Done {
        self.tag(7);
        self.bytes(v.as_bytes());
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Done {
        self.tag(8);
        self.bytes(v);
        Ok(())
    }
    fn serialize_none(self) -> Done {
        self.tag(9);
        Ok(())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Done {
        self.tag(10);
        value.serialize(self)
    }
    fn serialize_unit(self) -> Done {
        self.tag(11);
        Ok(())
    }
    fn serialize_unit_struct(self, name: &'static str) -> Done {
        self.tag(12);
        self.bytes(name.as_bytes());
        Ok(())
    }
    fn serialize_unit_variant(self, _: &'static str, index: u32, _: &'static str) -> Done {
        self.tag(13);
        self.len(index as usize);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> Done {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        value: &T,
    ) -> Done {
        self.tag(14);
        self.len(index as usize);
        value.serialize(self)
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Compound<'a>, Never> {
        self.tag(15);
        Ok(Compound::open(self, len))
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'a>, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Never> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Never> {
        self.tag(16);
        self.len(index as usize);
        self.serialize_seq(Some(len))
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Compound<'a>, Never> {
        self.tag(17);
        Ok(Compound::open(self, len))
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'a>, Never> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        index: u32,
        _: &'static str,
        len: usize,
    ) -> Result<Compound<'a>, Never> {
        self.tag(18);
        self.len(index as usize);
        self.serialize_map(Some(len))
    }
}

/// A sequence, map or struct being fingerprinted; ends with the number of its items, so
/// `[[a], b]` and `[[a, b]]` differ.
pub struct Compound<'a> {
    f: &'a mut Fingerprinter,
    items: usize,
}

impl<'a> Compound<'a> {
    fn open(f: &'a mut Fingerprinter, _len: Option<usize>) -> Self {
        Self { f, items: 0 }
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.items += 1;
        value.serialize(&mut *self.f)
    }

    fn close(self) -> Done {
        self.f.tag(19);
        self.f.len(self.items);
        Ok(())
    }
}

impl ser::SerializeSeq for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.item(value)
    }
    fn end(self) -> Done {
        self.close()
    }
}

impl ser::SerializeTuple for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.item(value)
    }
    fn end(self) -> Done {
        self.close()
    }
}

impl ser::SerializeTupleStruct for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.item(value)
    }
    fn end(self) -> Done {
        self.close()
    }
}

impl ser::SerializeTupleVariant for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        self.item(value)
    }
    fn end(self) -> Done {
        self.close()
    }
}

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Done {
        self.item(key)
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Done {
        value.serialize(&mut *self.f)
    }
    fn end(self) -> Done {
        self.close()
    }
}

impl ser::SerializeStruct for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.item(key)?;
        value.serialize(&mut *self.f)
    }
    fn end(self) -> Done {
        self.close()
    }
}

impl ser::SerializeStructVariant for Compound<'_> {
    type Ok = ();
    type Error = Never;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Done {
        self.item(key)?;
        value.serialize(&mut *self.f)
    }
    fn end(self) -> Done {
        self.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Page<'a> {
        title: &'a str,
        tags: Vec<&'a str>,
        part: Option<usize>,
    }

    #[test]
    fn equal_values_equal_fingerprints() {
        let a = Page {
            title: "x",
            tags: vec!["a", "b"],
            part: Some(1),
        };
        let b = Page {
            title: "x",
            tags: vec!["a", "b"],
            part: Some(1),
        };
        assert_eq!(of(&a), of(&b));
    }

    #[test]
    fn different_values_differ() {
        let base = of(&Page {
            title: "x",
            tags: vec!["a", "b"],
            part: Some(1),
        });
        for other in [
            Page {
                title: "y",
                tags: vec!["a", "b"],
                part: Some(1),
            },
            Page {
                title: "x",
                tags: vec!["ab"],
                part: Some(1),
            },
            Page {
                title: "x",
                tags: vec!["a", "b"],
                part: None,
            },
            Page {
                title: "x",
                tags: vec!["a", "b"],
                part: Some(2),
            },
        ] {
            assert_ne!(of(&other), base);
        }
        assert_ne!(of(&(vec![vec!["a"]], "b")), of(&(vec![vec!["a", "b"]],)));
        let long = "x".repeat(2000);
        assert_ne!(of(&(long.as_str(), "y")), of(&(&long[..1999], "xy")));
    }
}
