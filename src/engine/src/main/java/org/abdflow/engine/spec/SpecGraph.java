package org.abdflow.engine.spec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * The data flow between transforms, by position in the spec: an edge runs from an input to the
 * transform reading it. Names given twice resolve to the first; unknown names add no edge.
 */
final class SpecGraph {
  private final List<TransformSpec> transforms;
  private final List<List<Integer>> successors = new ArrayList<>();
  private final int[] inDegree;

  SpecGraph(List<TransformSpec> transforms) {
    this.transforms = transforms;
    Map<String, Integer> position = new HashMap<>();
    for (int i = 0; i < transforms.size(); i++) {
      position.putIfAbsent(transforms.get(i).name(), i);
      successors.add(new ArrayList<>());
    }
    inDegree = new int[transforms.size()];
    for (int i = 0; i < transforms.size(); i++) {
      for (String input : transforms.get(i).inputs()) {
        Integer from = position.get(input);
        if (from != null) {
          successors.get(from).add(i);
          inDegree[i]++;
        }
      }
    }
  }

  /** Kahn's order, earliest position first among the ready; leaves out what a cycle blocks. */
  List<Integer> topologicalOrder() {
    int[] remaining = inDegree.clone();
    PriorityQueue<Integer> ready = new PriorityQueue<>();
    for (int i = 0; i < remaining.length; i++) {
      if (remaining[i] == 0) {
        ready.add(i);
      }
    }
    List<Integer> order = new ArrayList<>(remaining.length);
    while (!ready.isEmpty()) {
      int next = ready.poll();
      order.add(next);
      for (int s : successors.get(next)) {
        if (--remaining[s] == 0) {
          ready.add(s);
        }
      }
    }
    return order;
  }

  /**
   * One cycle per strongly connected group of transforms, each a closed walk of positions starting
   * and ending at the group's earliest transform, shortest first found; groups in file order.
   */
  List<List<Integer>> cycles() {
    BitSet done = new BitSet();
    List<List<Integer>> cycles = new ArrayList<>();
    for (int start = 0; start < transforms.size(); start++) {
      if (done.get(start)) {
        continue;
      }
      List<Integer> cycle = shortestCycle(start);
      if (cycle.isEmpty()) {
        continue;
      }
      // Everything both reachable from start and reaching it shares its group: report it once.
      BitSet group = reachable(start, successors);
      group.and(reachable(start, predecessors()));
      done.or(group);
      cycles.add(cycle);
    }
    return cycles;
  }

  /** {@code a -> b -> a} for each cycle, by name. */
  List<String> describeCycles() {
    List<String> out = new ArrayList<>();
    for (List<Integer> cycle : cycles()) {
      out.add(describe(cycle));
    }
    return out;
  }

  String describe(List<Integer> cycle) {
    StringBuilder b = new StringBuilder();
    for (int i : cycle) {
      if (b.length() > 0) {
        b.append(" -> ");
      }
      b.append(transforms.get(i).name());
    }
    return b.toString();
  }

  /** Breadth first from start back to it; empty when start is on no cycle. */
  private List<Integer> shortestCycle(int start) {
    int[] parent = new int[transforms.size()];
    Arrays.fill(parent, -1);
    Deque<Integer> queue = new ArrayDeque<>();
    queue.add(start);
    BitSet seen = new BitSet();
    while (!queue.isEmpty()) {
      int at = queue.poll();
      for (int s : successors.get(at)) {
        if (s == start) {
          List<Integer> cycle = new ArrayList<>();
          cycle.add(start);
          for (int v = at; v != start; v = parent[v]) {
            cycle.add(1, v);
          }
          cycle.add(start);
          return cycle;
        }
        if (!seen.get(s)) {
          seen.set(s);
          parent[s] = at;
          queue.add(s);
        }
      }
    }
    return List.of();
  }

  private List<List<Integer>> predecessors() {
    List<List<Integer>> preds = new ArrayList<>();
    for (int i = 0; i < transforms.size(); i++) {
      preds.add(new ArrayList<>());
    }
    for (int from = 0; from < transforms.size(); from++) {
      for (int to : successors.get(from)) {
        preds.get(to).add(from);
      }
    }
    return preds;
  }

  private static BitSet reachable(int start, List<List<Integer>> edges) {
    BitSet seen = new BitSet();
    Deque<Integer> stack = new ArrayDeque<>();
    seen.set(start);
    stack.push(start);
    while (!stack.isEmpty()) {
      for (int next : edges.get(stack.pop())) {
        if (!seen.get(next)) {
          seen.set(next);
          stack.push(next);
        }
      }
    }
    return seen;
  }
}
