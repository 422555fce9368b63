//! Trees in flat arrays, numbered in pre-order.
//!
//! A tree of `n` vertices numbered `0..n` is given by each vertex's
//! children ([`Rows`]); [`number`] numbers the vertices reachable from a
//! root in pre-order, without recursion (a chain a million deep is fine).
//! In pre-order every node comes after its parent and a node's subtree is
//! the nodes right after it, so [`subtree_sizes`] is one pass; [`number`]
//! gives each node's parent and depth as it reaches the node.

use super::rows::Rows;

/// Marks a vertex not reached from the root, and the root's parent.
pub(crate) const NONE: u32 = u32::MAX;

/// A tree numbered in pre-order by [`number`].
pub(crate) struct Numbered {
    /// Node -> vertex.
    pub(crate) node_vertex: Vec<u32>,
    /// Vertex -> node, `NONE` for a vertex not reached.
    pub(crate) vertex_node: Vec<u32>,
    /// Node -> parent node, `NONE` for the root.
    pub(crate) parent: Vec<u32>,
    /// Node -> distance from the root.
    pub(crate) depth: Vec<u32>,
}

/// Pre-order numbering of the vertices reachable from `root`, children in
/// the order of their group, with each node's parent and depth (known when
/// the node is reached, so no later pass looks them up). `vertices` is the
/// number of vertices; `None` when the nodes would not fit below `NONE`.
pub(crate) fn number(
    root: u32,
    children: &Rows<u32>,
    vertices: usize,
    expected: usize,
) -> Option<Numbered> {
    let mut vertex_node = vec![NONE; vertices];
    let mut node_vertex = Vec::with_capacity(expected);
    let mut parent = Vec::with_capacity(expected);
    let mut depth = Vec::with_capacity(expected);
    // (vertex, its parent's node, its depth)
    let mut stack = vec![(root, NONE, 0_u32)];
    while let Some((v, up, d)) = stack.pop() {
        let node = u32::try_from(node_vertex.len())
            .ok()
            .filter(|n| *n != NONE)?;
        if let Some(slot) = vertex_node.get_mut(v as usize) {
            *slot = node;
        }
        node_vertex.push(v);
        parent.push(up);
        depth.push(d);
        let below = d.checked_add(1)?;
        stack.extend(children.get(v).iter().rev().map(|kid| (*kid, node, below)));
    }
    Some(Numbered {
        node_vertex,
        vertex_node,
        parent,
        depth,
    })
}

/// Number of nodes in the subtree of every node of a pre-order tree, itself
/// included; `None` past `u32`.
pub(crate) fn subtree_sizes(parent: &[u32]) -> Option<Vec<u32>> {
    // Pre-order, backwards: a child's size is complete before it is added
    // to its parent.
    let mut size = vec![1u32; parent.len()];
    for (node, &p) in parent.iter().enumerate().skip(1).rev() {
        let (head, tail) = size.split_at_mut(node);
        if let (Some(slot), Some(s)) = (head.get_mut(p as usize), tail.first()) {
            *slot = slot.checked_add(*s)?;
        }
    }
    Some(size)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// The plain reference, recursive: pre-order, depth and size of every
    /// vertex below `v`.
    fn walk(v: u32, depth: u32, kids: &[Vec<u32>], out: &mut Vec<(u32, u32, u32)>) -> u32 {
        let at = out.len();
        out.push((v, depth, 1));
        let mut size = 1;
        for k in &kids[v as usize] {
            size = walk(*k, depth.wrapping_add(1), kids, out).wrapping_add(size);
        }
        out[at].2 = size;
        size
    }

    /// A random tree rooted at 0: vertex `i > 0` hangs below a vertex
    /// before it.
    fn tree() -> impl Strategy<Value = (Vec<Option<u32>>, u32)> {
        proptest::collection::vec(any::<u32>(), 0..120).prop_map(|raw| {
            let mut parent = vec![None];
            for (i, r) in (1u32..).zip(&raw) {
                parent.push(r.checked_rem(i));
            }
            (parent, 0)
        })
    }

    proptest! {
        #[test]
        fn same_as_a_recursive_walk((parent_of, root) in tree()) {
            let n = parent_of.len();
            let keyed: Vec<(u32, u32)> = (0u32..)
                .zip(&parent_of)
                .filter_map(|(v, p)| p.map(|p| (p, v)))
                .collect();
            let children = Rows::new(n, keyed.iter().copied()).unwrap();
            let mut kids = vec![Vec::new(); n];
            for (p, v) in &keyed {
                kids[*p as usize].push(*v);
            }
            let mut want = Vec::new();
            walk(root, 0, &kids, &mut want);

            let Numbered { node_vertex, vertex_node, parent, depth } = number(root, &children, n, n).unwrap();
            prop_assert_eq!(&node_vertex, &want.iter().map(|w| w.0).collect::<Vec<_>>());
            for (node, v) in node_vertex.iter().enumerate() {
                prop_assert_eq!(vertex_node[*v as usize] as usize, node);
            }
            let want_parent: Vec<u32> = node_vertex
                .iter()
                .map(|v| parent_of[*v as usize].map_or(NONE, |p| vertex_node[p as usize]))
                .collect();
            prop_assert_eq!(&parent, &want_parent);
            prop_assert_eq!(depth, want.iter().map(|w| w.1).collect::<Vec<_>>());
            prop_assert_eq!(subtree_sizes(&parent).unwrap(), want.iter().map(|w| w.2).collect::<Vec<_>>());
        }
    }

    #[test]
    fn unreached_vertices_stay_unnumbered() {
        // 0 <- 1, and 2 <- 3 apart from it.
        let children = Rows::new(4, [(0, 1), (2, 3)].into_iter()).unwrap();
        let numbered = number(0, &children, 4, 2).unwrap();
        assert_eq!(numbered.node_vertex, [0, 1]);
        assert_eq!(numbered.vertex_node, [0, 1, NONE, NONE]);
        assert_eq!(numbered.parent, [NONE, 0]);
        assert_eq!(numbered.depth, [0, 1]);
    }
}
