//! Running the model's int8 weights as int8: an in-memory rewrite of `model.onnx` before ONNX
//! Runtime loads it.
//!
//! The pinned model stores each weight matrix as int8 with one scale per column, and its graph
//! turns them back into floats (`Cast` to float, `Mul` by the scale) before a float `MatMul`.
//! Run as written, every product is a float product. The rewrite replaces each
//! `MatMul(x, Mul(Cast(W_int8), scale))` by `QuantizeLinear(x)` (8 bits, once per activation
//! `x` even when three products read it) and ONNX Runtime's `MatMulIntegerToFloat(x_uint8,
//! W_int8, ...)`: the same weights, integer kernels (VNNI or AVX2), about a third less CPU for
//! the whole model.
//!
//! Each activation's 8-bit scale is fixed, from the ranges in `data/int8_ranges.tsv`
//! (measured on development sentences by `data/tools/calibrate_int8.py`), not computed per
//! batch: with a per-batch scale a sentence's vector would depend on the sentences it happens
//! to be batched with. An activation without a range stays in floats, and so do
//! down-projections (more rows than columns: the feed-forward output, fed by the GELU), whose
//! long-tailed input one 8-bit scale per tensor flattens (BENCHMARKS.md, "Sentence
//! embeddings").
//!
//! Everything else in the file is copied byte for byte ([`crate::proto`]). A model without the
//! pattern comes back unchanged (`replaced == 0`).

use crate::proto::{self, Field, ProtoError};
use std::collections::{HashMap, HashSet};
use thiserror::Error;

/// ONNX `TensorProto.DataType` values used here.
const FLOAT: i64 = 1;
const UINT8: i64 = 2;
const INT8: i64 = 3;
/// The domain of ONNX Runtime's own operators.
const MS_DOMAIN: &str = "com.microsoft";

/// The calibrated activation ranges (see the file's header).
const RANGES: &str = include_str!("../data/int8_ranges.tsv");

/// `tensor -> (min, max)` of the ranges table; lines that do not parse are skipped (a unit
/// test checks that every line of the shipped table parses).
pub fn ranges(table: &str) -> HashMap<&str, (f64, f64)> {
    table
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let mut c = l.split('\t');
            let (name, lo, hi) = (c.next()?, c.next()?, c.next()?);
            let (lo, hi): (f64, f64) = (lo.trim().parse().ok()?, hi.trim().parse().ok()?);
            // Zero must be representable, and the range must be a range.
            (lo.is_finite() && hi.is_finite() && lo <= 0.0 && hi >= 0.0 && hi > lo)
                .then_some((name, (lo, hi)))
        })
        .collect()
}

/// The 8-bit scale and zero point of a range, as `QuantizeLinear` takes them.
fn scale_and_zero((lo, hi): (f64, f64)) -> (f32, u8) {
    let scale = (hi - lo) / 255.0;
    let zero = (-lo / scale).round().clamp(0.0, 255.0) as u8;
    (scale as f32, zero)
}

/// The model file could not be read as an ONNX model.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Int8Error {
    #[error("not an ONNX model: {0}")]
    Proto(#[from] ProtoError),
    #[error("not an ONNX model: {0}")]
    Structure(&'static str),
}

/// The rewritten model and how many products now run in int8.
#[derive(Debug, Clone)]
pub struct Rewrite {
    pub bytes: Vec<u8>,
    pub replaced: usize,
}

/// A node of the graph: the fields the rewrite reads.
struct Node<'a> {
    /// Index of the node's field in the graph message.
    field: usize,
    inputs: Vec<&'a str>,
    outputs: Vec<&'a str>,
    name: &'a str,
    op: &'a str,
    domain: &'a str,
    /// `Cast`'s `to` attribute.
    cast_to: Option<i64>,
}

fn node<'a>(field: usize, bytes: &'a [u8]) -> Result<Node<'a>, Int8Error> {
    let f = proto::fields(bytes)?;
    let strs = |n: u32| -> Vec<&'a str> {
        f.iter()
            .filter(|x| x.number == n)
            .map(|x| x.str().unwrap_or(""))
            .collect()
    };
    let one = |n: u32| f.iter().rev().find(|x| x.number == n).and_then(Field::str);
    let mut cast_to = None;
    for a in f.iter().filter(|x| x.number == 5).filter_map(Field::bytes) {
        let af = proto::fields(a)?;
        let name = af.iter().rev().find(|x| x.number == 1).and_then(Field::str);
        if name == Some("to") {
            cast_to = af.iter().rev().find(|x| x.number == 3).and_then(Field::int);
        }
    }
    Ok(Node {
        field,
        inputs: strs(1),
        outputs: strs(2),
        name: one(3).unwrap_or(""),
        op: one(4).unwrap_or(""),
        domain: one(7).unwrap_or(""),
        cast_to,
    })
}

/// An initializer: its type and shape.
struct Tensor<'a> {
    field: usize,
    fields: Vec<Field<'a>>,
    dims: Vec<i64>,
    data_type: i64,
}

/// One `MatMul` to replace, with the nodes and scale it makes obsolete.
struct Match<'a> {
    matmul: usize,
    mul: usize,
    cast: usize,
    x: &'a str,
    weight: &'a str,
    scale: &'a str,
    columns: i64,
}

/// Rewrites the float products of int8 weights with the shipped activation ranges (see the
/// module documentation).
pub fn quantize_matmuls(model: &[u8]) -> Result<Rewrite, Int8Error> {
    rewrite_with(model, &ranges(RANGES))
}

/// [`quantize_matmuls`] with the given activation ranges.
pub fn rewrite_with(
    model: &[u8],
    ranges: &HashMap<&str, (f64, f64)>,
) -> Result<Rewrite, Int8Error> {
    let mf = proto::fields(model)?;
    let mut graphs = mf.iter().filter(|f| f.number == 7);
    let graph = graphs
        .next()
        .and_then(Field::bytes)
        .ok_or(Int8Error::Structure("no graph"))?;
    if graphs.next().is_some() {
        return Err(Int8Error::Structure("more than one graph"));
    }
    let gf = proto::fields(graph)?;
    let mut nodes = Vec::new();
    let mut tensors: HashMap<&str, Tensor<'_>> = HashMap::new();
    let mut uses: HashMap<&str, usize> = HashMap::new();
    for (i, f) in gf.iter().enumerate() {
        match (f.number, f.bytes()) {
            (1, Some(b)) => nodes.push(node(i, b)?),
            (5, Some(b)) => {
                let tf = proto::fields(b)?;
                let name = tf.iter().rev().find(|x| x.number == 8).and_then(Field::str);
                let data_type = tf.iter().rev().find(|x| x.number == 2).and_then(Field::int);
                let dims = proto::repeated_ints(&tf, 1)?;
                if let Some(name) = name {
                    tensors.insert(
                        name,
                        Tensor {
                            field: i,
                            fields: tf,
                            dims,
                            data_type: data_type.unwrap_or(0),
                        },
                    );
                }
            }
            (12, Some(b)) => {
                let of = proto::fields(b)?;
                if let Some(n) = of.iter().rev().find(|x| x.number == 1).and_then(Field::str) {
                    *uses.entry(n).or_default() += 1;
                }
            }
            _ => {}
        }
    }
    let mut producer: HashMap<&str, usize> = HashMap::new();
    for (k, n) in nodes.iter().enumerate() {
        for i in &n.inputs {
            *uses.entry(i).or_default() += 1;
        }
        for o in &n.outputs {
            producer.insert(o, k);
        }
    }
    let used_once = |name: &str| uses.get(name) == Some(&1);
    let mut matches = Vec::new();
    for (k, n) in nodes.iter().enumerate() {
        if n.op != "MatMul" || !matches!(n.domain, "" | "ai.onnx") || n.inputs.len() != 2 {
            continue;
        }
        let b = n.inputs[1];
        let Some(&mul) = producer.get(b) else {
            continue;
        };
        let m = &nodes[mul];
        if m.op != "Mul" || m.inputs.len() != 2 || !used_once(b) {
            continue;
        }
        // Either operand order: Mul(Cast(W), scale) or Mul(scale, Cast(W)).
        let found = [(m.inputs[0], m.inputs[1]), (m.inputs[1], m.inputs[0])]
            .into_iter()
            .find_map(|(c, s)| {
                let &cast = producer.get(c)?;
                let cn = &nodes[cast];
                let ok = cn.op == "Cast" && cn.cast_to == Some(FLOAT) && cn.inputs.len() == 1;
                // `then_some` would index before the check: a Cast without inputs panicked.
                if ok {
                    Some((cast, cn.inputs[0], s, c))
                } else {
                    None
                }
            });
        let Some((cast, weight, scale, cast_out)) = found else {
            continue;
        };
        let (Some(w), Some(s)) = (tensors.get(weight), tensors.get(scale)) else {
            continue;
        };
        let [rows, cols] = w.dims[..] else { continue };
        let scale_ok = s.data_type == FLOAT
            && (s.dims == [1, cols] || s.dims == [cols])
            && used_once(scale)
            && used_once(cast_out);
        if w.data_type != INT8 || !scale_ok || rows > cols || !ranges.contains_key(n.inputs[0]) {
            continue;
        }
        matches.push(Match {
            matmul: k,
            mul,
            cast,
            x: n.inputs[0],
            weight,
            scale,
            columns: cols,
        });
    }
    if matches.is_empty() {
        return Ok(Rewrite {
            bytes: model.to_vec(),
            replaced: 0,
        });
    }

    // The graph again, field by field: each quantized activation once (before its first
    // product), replaced products, obsolete nodes left out, the weight scales made
    // one-dimensional (the shape of a per-column scale), and the activation scales added.
    let mut drop: HashSet<usize> = HashSet::new();
    let mut replace: HashMap<usize, Vec<u8>> = HashMap::new();
    let mut reshape: HashMap<usize, (i64, &Tensor<'_>)> = HashMap::new();
    let mut quantized: HashSet<&str> = HashSet::new();
    let mut added = Vec::new();
    for m in &matches {
        let n = &nodes[m.matmul];
        drop.insert(nodes[m.mul].field);
        drop.insert(nodes[m.cast].field);
        let (xq, xs, xz) = (
            format!("{}/int8", m.x),
            format!("{}/int8_scale", m.x),
            format!("{}/int8_zero", m.x),
        );
        let mut b = Vec::new();
        if quantized.insert(m.x) {
            let (scale, zero) = scale_and_zero(ranges[m.x]);
            proto::put_bytes(&mut added, 5, &scalar(&xs, FLOAT, &scale.to_le_bytes()));
            proto::put_bytes(&mut added, 5, &scalar(&xz, UINT8, &[zero]));
            let q = node_bytes(
                &[m.x, &xs, &xz],
                &[&xq],
                &format!("{}/quantize", m.x),
                "QuantizeLinear",
                "",
            );
            proto::put_bytes(&mut b, 1, &q);
        }
        // MatMulIntegerToFloat's inputs: A, B, a_scale, b_scale, a_zero_point.
        let mm = node_bytes(
            &[&xq, m.weight, &xs, m.scale, &xz],
            &n.outputs,
            &format!("{}/int8", n.name),
            "MatMulIntegerToFloat",
            MS_DOMAIN,
        );
        proto::put_bytes(&mut b, 1, &mm);
        replace.insert(n.field, b);
        if let Some(t) = tensors.get(m.scale) {
            reshape.insert(t.field, (m.columns, t));
        }
    }
    let mut g = Vec::with_capacity(graph.len() + added.len());
    for (i, f) in gf.iter().enumerate() {
        if drop.contains(&i) {
            continue;
        }
        if let Some(b) = replace.get(&i) {
            g.extend_from_slice(b);
        } else if let Some((cols, t)) = reshape.get(&i) {
            let mut tb = Vec::new();
            proto::put_int(&mut tb, 1, *cols);
            for tf in t.fields.iter().filter(|x| x.number != 1) {
                tb.extend_from_slice(tf.raw);
            }
            proto::put_bytes(&mut g, 5, &tb);
        } else {
            g.extend_from_slice(f.raw);
        }
    }
    g.extend_from_slice(&added);
    let mut has_ms = false;
    for f in mf.iter().filter(|f| f.number == 8).filter_map(Field::bytes) {
        let of = proto::fields(f)?;
        has_ms |= of
            .iter()
            .any(|x| x.number == 1 && x.str() == Some(MS_DOMAIN));
    }
    let mut out = Vec::with_capacity(model.len());
    for f in &mf {
        if f.number == 7 {
            proto::put_bytes(&mut out, 7, &g);
        } else {
            out.extend_from_slice(f.raw);
        }
    }
    if !has_ms {
        let mut op = Vec::new();
        proto::put_bytes(&mut op, 1, MS_DOMAIN.as_bytes());
        proto::put_int(&mut op, 2, 1);
        proto::put_bytes(&mut out, 8, &op);
    }
    Ok(Rewrite {
        bytes: out,
        replaced: matches.len(),
    })
}

/// An encoded `NodeProto`.
fn node_bytes(inputs: &[&str], outputs: &[&str], name: &str, op: &str, domain: &str) -> Vec<u8> {
    let mut b = Vec::new();
    for i in inputs {
        proto::put_bytes(&mut b, 1, i.as_bytes());
    }
    for o in outputs {
        proto::put_bytes(&mut b, 2, o.as_bytes());
    }
    proto::put_bytes(&mut b, 3, name.as_bytes());
    proto::put_bytes(&mut b, 4, op.as_bytes());
    if !domain.is_empty() {
        proto::put_bytes(&mut b, 7, domain.as_bytes());
    }
    b
}

/// An encoded scalar `TensorProto` (no dimensions) of raw little-endian bytes.
fn scalar(name: &str, data_type: i64, raw: &[u8]) -> Vec<u8> {
    let mut t = Vec::new();
    proto::put_int(&mut t, 2, data_type);
    proto::put_bytes(&mut t, 8, name.as_bytes());
    proto::put_bytes(&mut t, 9, raw);
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tensor(name: &str, data_type: i64, dims: &[i64], raw: &[u8]) -> Vec<u8> {
        let mut t = Vec::new();
        for &d in dims {
            proto::put_int(&mut t, 1, d);
        }
        proto::put_int(&mut t, 2, data_type);
        proto::put_bytes(&mut t, 8, name.as_bytes());
        proto::put_bytes(&mut t, 9, raw);
        t
    }

    fn node(op: &str, inputs: &[&str], outputs: &[&str], cast_to: Option<i64>) -> Vec<u8> {
        let mut n = Vec::new();
        for i in inputs {
            proto::put_bytes(&mut n, 1, i.as_bytes());
        }
        for o in outputs {
            proto::put_bytes(&mut n, 2, o.as_bytes());
        }
        proto::put_bytes(&mut n, 3, format!("n_{}", outputs[0]).as_bytes());
        proto::put_bytes(&mut n, 4, op.as_bytes());
        if let Some(to) = cast_to {
            let mut a = Vec::new();
            proto::put_bytes(&mut a, 1, b"to");
            proto::put_int(&mut a, 3, to);
            proto::put_int(&mut a, 20, 2);
            proto::put_bytes(&mut n, 5, &a);
        }
        n
    }

    /// A model with two products of the activation `x` (1x2) with int8 weights `W`, `V`
    /// (2x3), one of a 3x2 weight (a down-projection), and an unrelated MatMul of two inputs.
    fn model() -> Vec<u8> {
        let mut g = Vec::new();
        for n in [
            node("Cast", &["w_q"], &["w_f"], Some(FLOAT)),
            node("Mul", &["w_f", "w_scale"], &["w"], None),
            node("MatMul", &["x", "w"], &["y"], None),
            node("Cast", &["v_q"], &["v_f"], Some(FLOAT)),
            node("Mul", &["v_scale", "v_f"], &["v"], None),
            node("MatMul", &["x", "v"], &["y2"], None),
            node("Cast", &["d_q"], &["d_f"], Some(FLOAT)),
            node("Mul", &["d_f", "d_scale"], &["d"], None),
            node("MatMul", &["y", "d"], &["z"], None),
            node("MatMul", &["z", "y2"], &["out"], None),
        ] {
            proto::put_bytes(&mut g, 1, &n);
        }
        proto::put_bytes(&mut g, 2, b"toy");
        for t in [
            tensor("w_q", INT8, &[2, 3], &[1, 2, 3, 4, 5, 6]),
            tensor("w_scale", FLOAT, &[1, 3], &[0; 12]),
            tensor("v_q", INT8, &[2, 3], &[1, 2, 3, 4, 5, 6]),
            tensor("v_scale", FLOAT, &[3], &[0; 12]),
            tensor("d_q", INT8, &[3, 2], &[1, 2, 3, 4, 5, 6]),
            tensor("d_scale", FLOAT, &[1, 2], &[0; 8]),
        ] {
            proto::put_bytes(&mut g, 5, &t);
        }
        let mut out = Vec::new();
        proto::put_bytes(&mut out, 1, b"out");
        proto::put_bytes(&mut g, 12, &out);
        let mut m = Vec::new();
        proto::put_int(&mut m, 1, 8);
        let mut op = Vec::new();
        proto::put_int(&mut op, 2, 17);
        proto::put_bytes(&mut m, 8, &op);
        proto::put_bytes(&mut m, 7, &g);
        m
    }

    fn toy_ranges() -> HashMap<&'static str, (f64, f64)> {
        HashMap::from([("x", (-1.0, 3.0)), ("y", (-1.0, 1.0))])
    }

    fn graph_fields(model: &[u8]) -> Vec<Field<'_>> {
        let mf = proto::fields(model).expect("model");
        let g = mf.iter().find(|f| f.number == 7).and_then(Field::bytes);
        proto::fields(g.expect("graph")).expect("graph fields")
    }

    fn graph_nodes(model: &[u8]) -> Vec<(String, Vec<String>)> {
        graph_fields(model)
            .iter()
            .filter(|f| f.number == 1)
            .filter_map(Field::bytes)
            .map(|b| {
                let n = super::node(0, b).expect("node");
                (
                    n.op.to_string(),
                    n.inputs.iter().map(|s| s.to_string()).collect(),
                )
            })
            .collect()
    }

    /// `name -> (data type, dims, raw data)` of every initializer.
    fn tensors(model: &[u8]) -> HashMap<String, (i64, Vec<i64>, Vec<u8>)> {
        graph_fields(model)
            .iter()
            .filter(|f| f.number == 5)
            .filter_map(Field::bytes)
            .map(|b| {
                let tf = proto::fields(b).expect("tensor");
                let get = |n: u32| tf.iter().find(|x| x.number == n);
                (
                    get(8).and_then(Field::str).unwrap_or("").to_string(),
                    (
                        get(2).and_then(Field::int).unwrap_or(0),
                        proto::repeated_ints(&tf, 1).expect("dims"),
                        get(9).and_then(Field::bytes).unwrap_or(&[]).to_vec(),
                    ),
                )
            })
            .collect()
    }

    #[test]
    fn int8_products_are_replaced_and_the_rest_kept() {
        let r = rewrite_with(&model(), &toy_ranges()).expect("rewrites");
        assert_eq!(r.replaced, 2);
        let nodes = graph_nodes(&r.bytes);
        let ops: Vec<&str> = nodes.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(
            ops,
            [
                "QuantizeLinear",
                "MatMulIntegerToFloat",
                "MatMulIntegerToFloat",
                "Cast",
                "Mul",
                "MatMul",
                "MatMul"
            ]
        );
        // `x` is quantized once and read by both products.
        assert_eq!(nodes[0].1, ["x", "x/int8_scale", "x/int8_zero"]);
        assert_eq!(
            nodes[1].1,
            ["x/int8", "w_q", "x/int8_scale", "w_scale", "x/int8_zero"]
        );
        assert_eq!(
            nodes[2].1,
            ["x/int8", "v_q", "x/int8_scale", "v_scale", "x/int8_zero"]
        );
        let t = tensors(&r.bytes);
        // Weight scales one-dimensional; the down-projection's untouched; weights unchanged.
        assert_eq!(t["w_scale"].1, [3]);
        assert_eq!(t["v_scale"].1, [3]);
        assert_eq!(t["d_scale"].1, [1, 2]);
        assert_eq!(t["w_q"], (INT8, vec![2, 3], vec![1, 2, 3, 4, 5, 6]));
        // The activation's fixed scale and zero point: (3 - -1) / 255 and 255 / 4.
        let (scale, zero) = (&t["x/int8_scale"], &t["x/int8_zero"]);
        assert_eq!(scale.0, FLOAT);
        assert!(scale.1.is_empty());
        assert_eq!(scale.2, (4.0f32 / 255.0).to_le_bytes());
        assert_eq!(zero.0, UINT8);
        assert_eq!(zero.2, [64]);
        // The operator domain is imported once.
        let mf = proto::fields(&r.bytes).expect("model");
        let ms = mf
            .iter()
            .filter(|f| f.number == 8)
            .filter_map(Field::bytes)
            .filter(|b| {
                let of = proto::fields(b).expect("opset");
                of.iter().any(|x| x.str() == Some(MS_DOMAIN))
            })
            .count();
        assert_eq!(ms, 1);
        // Rewriting again changes nothing more.
        let again = rewrite_with(&r.bytes, &toy_ranges()).expect("rewrites");
        assert_eq!(again.replaced, 0);
        assert_eq!(again.bytes, r.bytes);
    }

    #[test]
    fn without_a_range_the_product_stays_float() {
        let r = rewrite_with(&model(), &HashMap::new()).expect("rewrites");
        assert_eq!(r.replaced, 0);
        assert_eq!(r.bytes, model());
    }

    #[test]
    fn a_shared_weight_is_left_alone() {
        // A second consumer of the dequantized weight: removing its Mul would break it.
        let m = model();
        let mf = proto::fields(&m).expect("model");
        let mut out = Vec::new();
        for f in &mf {
            if f.number == 7 {
                let mut g = f.bytes().expect("graph").to_vec();
                let extra = node("MatMul", &["x2", "w"], &["y3"], None);
                proto::put_bytes(&mut g, 1, &extra);
                proto::put_bytes(&mut out, 7, &g);
            } else {
                out.extend_from_slice(f.raw);
            }
        }
        let r = rewrite_with(&out, &toy_ranges()).expect("rewrites");
        assert_eq!(r.replaced, 1);
        let ops: Vec<String> = graph_nodes(&r.bytes).into_iter().map(|n| n.0).collect();
        assert_eq!(ops.iter().filter(|o| *o == "MatMul").count(), 4);
    }

    #[test]
    fn the_shipped_ranges_parse() {
        let lines = RANGES
            .lines()
            .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
            .count();
        let r = ranges(RANGES);
        assert_eq!(r.len(), lines);
        assert!(r.len() >= 12, "{r:?}");
        assert!(RANGES.starts_with("# Activation ranges"));
        // Bad lines are skipped, not trusted.
        let bad = ranges("a\t1\t2\nb\tx\t1\nc\t-1\nd\t-1\t1\ne\tNaN\t1\n");
        assert_eq!(bad.len(), 1);
        assert_eq!(bad.get("d"), Some(&(-1.0, 1.0)));
    }

    #[test]
    fn not_a_model_is_an_error() {
        assert!(quantize_matmuls(b"").is_err());
        assert!(quantize_matmuls(b"\x0a\x05hello").is_err());
        assert!(quantize_matmuls(&[0xff; 16]).is_err());
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_rewrite_or_fail_cleanly(b in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
            let _ = rewrite_with(&b, &toy_ranges());
        }

        #[test]
        fn damaged_models_never_panic(cut in 0usize..600, flip in 0usize..600, byte in proptest::num::u8::ANY) {
            let mut m = model();
            let n = m.len();
            m[flip % n] ^= byte;
            m.truncate(cut.min(n));
            if let Ok(r) = rewrite_with(&m, &toy_ranges()) {
                proptest::prop_assert!(r.replaced <= 2);
            }
        }
    }
}
