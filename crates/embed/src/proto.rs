//! The few parts of the protocol-buffer wire format needed to edit an ONNX graph in memory:
//! reading the fields of one message (nested messages stay byte slices until asked for) and
//! writing fields back.
//!
//! Written here instead of depending on a protobuf code generator: the rewrite in
//! [`crate::int8`] reads five message types and changes two, and every field it does not touch
//! is copied byte for byte, so nothing of the model is lost or re-encoded.

use thiserror::Error;

/// Bytes that are not a protocol-buffer message.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProtoError {
    #[error("truncated message at byte {0}")]
    Truncated(usize),
    #[error("varint longer than 10 bytes at byte {0}")]
    LongVarint(usize),
    #[error("unsupported wire type {wire} at byte {at}")]
    WireType { wire: u8, at: usize },
    #[error("field number 0 at byte {0}")]
    FieldZero(usize),
}

/// The value of one field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Varint(u64),
    Fixed64(u64),
    /// Strings, bytes, nested messages and packed repeated scalars.
    Bytes(&'a [u8]),
    Fixed32(u32),
}

/// One field of a message, with its encoded bytes (key included) to copy it unchanged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Field<'a> {
    pub number: u32,
    pub value: Value<'a>,
    pub raw: &'a [u8],
}

impl<'a> Field<'a> {
    /// The bytes of a length-delimited field (`None` for a scalar).
    pub fn bytes(&self) -> Option<&'a [u8]> {
        match self.value {
            Value::Bytes(b) => Some(b),
            _ => None,
        }
    }

    /// A string field (`None` when it is not length-delimited or not UTF-8).
    pub fn str(&self) -> Option<&'a str> {
        self.bytes().and_then(|b| std::str::from_utf8(b).ok())
    }

    /// A varint field as a signed integer (protobuf `int64`/`int32`).
    pub fn int(&self) -> Option<i64> {
        match self.value {
            Value::Varint(v) => Some(v as i64),
            _ => None,
        }
    }
}

/// Reads a varint at `*at`, moving `*at` past it.
fn varint(buf: &[u8], at: &mut usize) -> Result<u64, ProtoError> {
    let start = *at;
    let mut v: u64 = 0;
    for shift in 0..10 {
        let b = *buf.get(*at).ok_or(ProtoError::Truncated(start))?;
        *at += 1;
        v |= u64::from(b & 0x7f) << (7 * shift);
        if b & 0x80 == 0 {
            return Ok(v);
        }
    }
    Err(ProtoError::LongVarint(start))
}

/// Every field of one message, in order.
pub fn fields(buf: &[u8]) -> Result<Vec<Field<'_>>, ProtoError> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < buf.len() {
        let start = at;
        let key = varint(buf, &mut at)?;
        let number = u32::try_from(key >> 3).map_err(|_| ProtoError::FieldZero(start))?;
        if number == 0 {
            return Err(ProtoError::FieldZero(start));
        }
        let take = |at: &mut usize, n: usize| -> Result<&[u8], ProtoError> {
            let end = at.checked_add(n).filter(|&e| e <= buf.len());
            let end = end.ok_or(ProtoError::Truncated(start))?;
            let b = &buf[*at..end];
            *at = end;
            Ok(b)
        };
        let value = match key & 7 {
            0 => Value::Varint(varint(buf, &mut at)?),
            1 => {
                let b = take(&mut at, 8)?;
                Value::Fixed64(u64::from_le_bytes(b.try_into().unwrap_or_default()))
            }
            2 => {
                let n = varint(buf, &mut at)?;
                let n = usize::try_from(n).map_err(|_| ProtoError::Truncated(start))?;
                Value::Bytes(take(&mut at, n)?)
            }
            5 => {
                let b = take(&mut at, 4)?;
                Value::Fixed32(u32::from_le_bytes(b.try_into().unwrap_or_default()))
            }
            w => {
                return Err(ProtoError::WireType {
                    wire: w as u8,
                    at: start,
                })
            }
        };
        out.push(Field {
            number,
            value,
            raw: &buf[start..at],
        });
    }
    Ok(out)
}

/// The integers of a repeated `int64` field: packed (one length-delimited field) or not.
pub fn repeated_ints(fields: &[Field<'_>], number: u32) -> Result<Vec<i64>, ProtoError> {
    let mut out = Vec::new();
    for f in fields.iter().filter(|f| f.number == number) {
        match f.value {
            Value::Varint(v) => out.push(v as i64),
            Value::Bytes(b) => {
                let mut at = 0;
                while at < b.len() {
                    out.push(varint(b, &mut at)? as i64);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Appends a varint.
pub fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Appends a length-delimited field (string, bytes or nested message).
pub fn put_bytes(out: &mut Vec<u8>, number: u32, bytes: &[u8]) {
    put_varint(out, (u64::from(number) << 3) | 2);
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// Appends a varint field (`int64`, `int32`, enums).
pub fn put_int(out: &mut Vec<u8>, number: u32, v: i64) {
    put_varint(out, u64::from(number) << 3);
    put_varint(out, v as u64);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_round_trip() {
        let mut m = Vec::new();
        put_bytes(&mut m, 4, b"MatMul");
        put_int(&mut m, 2, 3);
        put_int(&mut m, 1, -1);
        put_int(&mut m, 1, 300);
        let f = fields(&m).expect("valid message");
        assert_eq!(f.len(), 4);
        assert_eq!(f[0].number, 4);
        assert_eq!(f[0].str(), Some("MatMul"));
        assert_eq!(f[1].int(), Some(3));
        assert_eq!(repeated_ints(&f, 1), Ok(vec![-1, 300]));
        let joined: Vec<u8> = f.iter().flat_map(|x| x.raw.iter().copied()).collect();
        assert_eq!(joined, m);
    }

    #[test]
    fn packed_ints() {
        let mut packed = Vec::new();
        put_varint(&mut packed, 384);
        put_varint(&mut packed, 1536);
        let mut m = Vec::new();
        put_bytes(&mut m, 1, &packed);
        let f = fields(&m).expect("valid message");
        assert_eq!(repeated_ints(&f, 1), Ok(vec![384, 1536]));
    }

    #[test]
    fn bad_messages_are_errors() {
        assert!(matches!(
            fields(&[0x0a, 5, 1]),
            Err(ProtoError::Truncated(0))
        ));
        assert!(matches!(fields(&[0x0b]), Err(ProtoError::WireType { .. })));
        assert!(matches!(fields(&[0x02, 0]), Err(ProtoError::FieldZero(0))));
        let mut long = vec![0x08];
        long.extend([0xff; 11]);
        assert!(matches!(fields(&long), Err(ProtoError::LongVarint(1))));
        assert!(matches!(
            fields(&[0x09, 1, 2]),
            Err(ProtoError::Truncated(0))
        ));
        let huge = [
            0x0a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01,
        ];
        assert!(fields(&huge).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_parse_or_fail_cleanly(b in proptest::collection::vec(proptest::num::u8::ANY, 0..300)) {
            if let Ok(f) = fields(&b) {
                let joined: Vec<u8> = f.iter().flat_map(|x| x.raw.iter().copied()).collect();
                let _ = repeated_ints(&f, 1);
                proptest::prop_assert_eq!(&joined, &b);
            }
        }
    }
}
