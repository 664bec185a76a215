//! Coreference scores over a shared set of mentions: MUC, B-cubed, CEAF-e, and the CoNLL
//! average of the three F1s. Clusters are given as one cluster label per mention, for the key
//! (gold) and the response (system), so both cover the same mentions.

use crate::metrics::f1;
use std::collections::HashMap;
use std::hash::Hash;

/// (precision, recall, F1).
pub type Prf = (f64, f64, f64);

fn clusters<L: Eq + Hash>(labels: &[L]) -> Vec<Vec<usize>> {
    let mut by: HashMap<&L, usize> = HashMap::new();
    let mut out: Vec<Vec<usize>> = Vec::new();
    for (i, l) in labels.iter().enumerate() {
        let k = *by.entry(l).or_insert_with(|| {
            out.push(Vec::new());
            out.len() - 1
        });
        out[k].push(i);
    }
    out
}

fn prf(p: f64, r: f64) -> Prf {
    (p, r, f1(p, r))
}

/// MUC (Vilain et al. 1995): links kept, counted per key cluster.
pub fn muc<K: Eq + Hash, R: Eq + Hash>(key: &[K], resp: &[R]) -> Prf {
    let side = |a: &[Vec<usize>], other: &dyn Fn(usize) -> usize| -> f64 {
        let (mut num, mut den) = (0usize, 0usize);
        for c in a {
            let parts: std::collections::HashSet<usize> = c.iter().map(|&m| other(m)).collect();
            num += c.len() - parts.len();
            den += c.len() - 1;
        }
        if den == 0 {
            0.0
        } else {
            num as f64 / den as f64
        }
    };
    let kc = clusters(key);
    let rc = clusters(resp);
    let rid = cluster_ids(&rc, resp.len());
    let kid = cluster_ids(&kc, key.len());
    let r = side(&kc, &|m| rid[m]);
    let p = side(&rc, &|m| kid[m]);
    prf(p, r)
}

fn cluster_ids(c: &[Vec<usize>], n: usize) -> Vec<usize> {
    let mut id = vec![0; n];
    for (k, ms) in c.iter().enumerate() {
        for &m in ms {
            id[m] = k;
        }
    }
    id
}

/// B-cubed (Bagga and Baldwin 1998): per-mention overlap of its key and response clusters.
pub fn b_cubed<K: Eq + Hash, R: Eq + Hash>(key: &[K], resp: &[R]) -> Prf {
    let n = key.len().min(resp.len());
    if n == 0 {
        return (0.0, 0.0, 0.0);
    }
    let kc = clusters(key);
    let rc = clusters(resp);
    let kid = cluster_ids(&kc, key.len());
    let rid = cluster_ids(&rc, resp.len());
    let mut inter: HashMap<(usize, usize), usize> = HashMap::new();
    for m in 0..n {
        *inter.entry((kid[m], rid[m])).or_default() += 1;
    }
    let (mut p, mut r) = (0.0, 0.0);
    for m in 0..n {
        let both = inter[&(kid[m], rid[m])] as f64;
        p += both / rc[rid[m]].len() as f64;
        r += both / kc[kid[m]].len() as f64;
    }
    prf(p / n as f64, r / n as f64)
}

/// CEAF-e (Luo 2005) with the entity similarity phi4 = 2|K∩R| / (|K| + |R|) and an optimal
/// one-to-one alignment of key and response clusters.
pub fn ceaf_e<K: Eq + Hash, R: Eq + Hash>(key: &[K], resp: &[R]) -> Prf {
    let kc = clusters(key);
    let rc = clusters(resp);
    if kc.is_empty() || rc.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let rid = cluster_ids(&rc, resp.len());
    let mut sim = vec![vec![0.0f64; rc.len()]; kc.len()];
    for (i, k) in kc.iter().enumerate() {
        let mut counts: HashMap<usize, usize> = HashMap::new();
        for &m in k {
            *counts.entry(rid[m]).or_default() += 1;
        }
        for (j, c) in counts {
            sim[i][j] = 2.0 * c as f64 / (k.len() + rc[j].len()) as f64;
        }
    }
    let total = max_assignment(&sim);
    prf(total / rc.len() as f64, total / kc.len() as f64)
}

/// Maximum-weight assignment (Hungarian algorithm, O(n^3)) over a rows x cols matrix.
pub fn max_assignment(w: &[Vec<f64>]) -> f64 {
    let rows = w.len();
    let cols = w.first().map_or(0, Vec::len);
    let n = rows.max(cols);
    if n == 0 {
        return 0.0;
    }
    let maxw = w.iter().flatten().copied().fold(0.0f64, f64::max);
    // cost[i][j] = maxw - w (padding cells have weight 0)
    let cost = |i: usize, j: usize| -> f64 {
        maxw - w.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0)
    };
    let inf = f64::INFINITY;
    let mut u = vec![0.0; n + 1];
    let mut v = vec![0.0; n + 1];
    let mut p = vec![0usize; n + 1];
    let mut way = vec![0usize; n + 1];
    for i in 1..=n {
        p[0] = i;
        let mut j0 = 0;
        let mut minv = vec![inf; n + 1];
        let mut used = vec![false; n + 1];
        loop {
            used[j0] = true;
            let i0 = p[j0];
            let mut delta = inf;
            let mut j1 = 0;
            for j in 1..=n {
                if !used[j] {
                    let cur = cost(i0 - 1, j - 1) - u[i0] - v[j];
                    if cur < minv[j] {
                        minv[j] = cur;
                        way[j] = j0;
                    }
                    if minv[j] < delta {
                        delta = minv[j];
                        j1 = j;
                    }
                }
            }
            for j in 0..=n {
                if used[j] {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
            if p[j0] == 0 {
                break;
            }
        }
        loop {
            let j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
            if j0 == 0 {
                break;
            }
        }
    }
    (1..=n)
        .filter(|&j| p[j] > 0)
        .map(|j| {
            w.get(p[j] - 1)
                .and_then(|r| r.get(j - 1))
                .copied()
                .unwrap_or(0.0)
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    // Key {1,2,3} {4,5}; response {1,2} {3,4,5}.
    const KEY: [u8; 5] = [1, 1, 1, 2, 2];
    const RESP: [u8; 5] = [7, 7, 8, 8, 8];

    #[test]
    fn muc_textbook() {
        let (p, r, f) = muc(&KEY, &RESP);
        assert!(close(p, 2.0 / 3.0) && close(r, 2.0 / 3.0) && close(f, 2.0 / 3.0));
        // all singletons in the response: no link found
        assert_eq!(muc(&KEY, &[1, 2, 3, 4, 5]).1, 0.0);
    }

    #[test]
    fn b_cubed_textbook() {
        let (p, r, _) = b_cubed(&KEY, &RESP);
        assert!(close(p, 11.0 / 15.0) && close(r, 11.0 / 15.0));
        let (p, r, f) = b_cubed(&KEY, &KEY);
        assert!(close(p, 1.0) && close(r, 1.0) && close(f, 1.0));
    }

    #[test]
    fn ceaf_textbook() {
        let (p, r, _) = ceaf_e(&KEY, &RESP);
        assert!(close(p, 0.8) && close(r, 0.8));
        // one response cluster for all: phi4(K1,R)=6/8, phi4(K2,R)=4/7; best is K1
        let (p, r, _) = ceaf_e(&KEY, &[1, 1, 1, 1, 1]);
        assert!(close(p, 0.75) && close(r, 0.375));
    }

    #[test]
    fn assignment_picks_the_best_pairs() {
        let w = vec![vec![1.0, 2.0], vec![3.0, 1.0], vec![0.5, 0.5]];
        assert!(close(max_assignment(&w), 5.0));
    }
}
