package dev.timestep.stream;

import dev.timestep.backend.ConvPadding;
import dev.timestep.nn.Conv1D;

/**
 * When a strided or 'valid' causal-side Conv1D emits an output while a stream feeds it one input at
 * a time. Over a series that starts at the stream's first point, such a convolution has an output
 * only at some inputs: a 'causal' one at inputs 1, 1 + stride, 1 + 2·stride, ... (counted from 1,
 * the zero padding standing in for the history before the first), a 'valid' one once its span is
 * full, at inputs span, span + stride, ... Between them a new point changes no output of the model,
 * so the stream's forecast stays the one of the last output: the convolution keeps its phase.
 *
 * @param stride the convolution's stride
 * @param first the input (counted from 1) of its first output
 * @param span the inputs one output sees, (kernel - 1)·dilation + 1
 */
record PhasedConv(int stride, int first, int span) {

  /** Whether {@code conv} streams by phase: causal or valid, and strided or valid with a span. */
  static boolean applies(Conv1D conv) {
    int span = IncrementalStep.span(conv);
    return switch (conv.padding()) {
      case CAUSAL -> conv.strides() > 1;
      case VALID -> conv.strides() > 1 || span > 1;
      case SAME -> false;
    };
  }

  static PhasedConv of(Conv1D conv) {
    int span = IncrementalStep.span(conv);
    return new PhasedConv(conv.strides(), conv.padding() == ConvPadding.VALID ? span : 1, span);
  }

  /** Whether the {@code input}-th input (counted from 1) completes an output. */
  boolean emitsAt(long input) {
    return input >= first && (input - first) % stride == 0;
  }

  /** The outputs emitted once {@code inputs} inputs have come. */
  long outputsAfter(long inputs) {
    return inputs < first ? 0 : (inputs - first) / stride + 1;
  }

  /**
   * The length of the input the layer runs over to get one output from the last {@code span}
   * inputs: the span, and for a causal layer the fewest leading steps more that make the last input
   * one its stride lands on (those steps are outside the output's span, so their values do not
   * matter).
   */
  int runLength() {
    return first == 1 ? span + Math.floorMod(-(span - 1), stride) : span;
  }
}
