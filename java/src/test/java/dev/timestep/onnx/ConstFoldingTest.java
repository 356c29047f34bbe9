package dev.timestep.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.timestep.onnx.proto.Onnx.AttributeProto;
import dev.timestep.onnx.proto.Onnx.NodeProto;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The constant subgraphs exporters write (pads, shapes, axes) fold to hand-computed values. */
class ConstFoldingTest {
  /** [[0, 1, 2], [3, 4, 5]] */
  private static final ConstTensor TWO_BY_THREE =
      ConstTensor.ofLongs(new long[] {2, 3}, 0, 1, 2, 3, 4, 5);

  @Test
  void transposeSwapsAxes() {
    ConstTensor t = fold(node("Transpose", ints("perm", 1, 0)), TWO_BY_THREE);
    assertArrayEquals(new long[] {3, 2}, t.dims());
    assertArrayEquals(new long[] {0, 3, 1, 4, 2, 5}, t.longs());
  }

  @Test
  void sliceTakesStepsFromTheEndBackwards() {
    // x[:, ::-2] of [[0, 1, 2], [3, 4, 5]] is [[2, 0], [5, 3]]: how PyTorch reverses its pads
    ConstTensor t =
        fold(node("Slice"), TWO_BY_THREE, longs(-1), longs(Long.MIN_VALUE), longs(1), longs(-2));
    assertArrayEquals(new long[] {2, 2}, t.dims());
    assertArrayEquals(new long[] {2, 0, 5, 3}, t.longs());
  }

  @Test
  void gatherConcatReshapeAndExpand() {
    ConstTensor row = fold(node("Gather", attr("axis", 0)), TWO_BY_THREE, scalar(-1));
    assertArrayEquals(new long[] {3, 4, 5}, row.longs());
    ConstTensor joined = fold(node("Concat", attr("axis", 1)), TWO_BY_THREE, TWO_BY_THREE);
    assertArrayEquals(new long[] {2, 6}, joined.dims());
    assertArrayEquals(new long[] {0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5}, joined.longs());
    ConstTensor flat = fold(node("Reshape"), TWO_BY_THREE, longs(-1));
    assertArrayEquals(new long[] {6}, flat.dims());
    ConstTensor wide = fold(node("Expand"), longs(7, 8), longs(3, 1));
    assertArrayEquals(new long[] {3, 2}, wide.dims());
    assertArrayEquals(new long[] {7, 8, 7, 8, 7, 8}, wide.longs());
  }

  @Test
  void hugeConstantsAreRefusedNotAllocated() {
    assertThrows(
        OnnxImportException.class, () -> fold(node("ConstantOfShape"), longs(1L << 20, 1L << 20)));
  }

  private static ConstTensor fold(NodeProto n, ConstTensor... inputs) {
    return ConstFolding.fold(n, Arrays.asList(inputs), 17);
  }

  private static NodeProto node(String op, AttributeProto... attributes) {
    return NodeProto.newBuilder().setOpType(op).addAllAttribute(List.of(attributes)).build();
  }

  private static AttributeProto attr(String name, long v) {
    return GraphWriter.attr(name, v);
  }

  private static AttributeProto ints(String name, long... v) {
    return GraphWriter.ints(name, v);
  }

  private static ConstTensor longs(long... v) {
    return ConstTensor.ofLongs(new long[] {v.length}, v);
  }

  private static ConstTensor scalar(long v) {
    return ConstTensor.ofLongs(new long[0], v);
  }
}
