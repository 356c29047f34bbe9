package dev.timestep.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.backend.reference.ReferenceBackend;
import dev.timestep.nn.Bidirectional;
import dev.timestep.nn.Dense;
import dev.timestep.nn.GRU;
import dev.timestep.nn.Input;
import dev.timestep.nn.LSTM;
import dev.timestep.nn.Loss;
import dev.timestep.nn.Model;
import dev.timestep.nn.RepeatVector;
import dev.timestep.nn.Symbolic;
import dev.timestep.optim.Adam;
import dev.timestep.tensor.NDArray;
import dev.timestep.testing.TestArrays;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A graph whose recurrent calls give several tensors (an LSTM and a Bidirectional GRU returning
 * their states) and take them (a decoder started from the encoder's states) survives a save and a
 * load: the same calls and connections, bit-identical predictions, and the same next training step.
 */
class RecurrentStatesModelFileTest {
  private static final ReferenceBackend F32 = ReferenceBackend.float32();
  @TempDir Path dir;

  private static NDArray random(long seed, int... dims) {
    return TestArrays.uniform(new SplittableRandom(seed), -1, 1, dims);
  }

  private static Model encoderDecoder() {
    Symbolic past = Input.of(7, 2);
    List<Symbolic> enc = new LSTM(4).returnState(true).applyAll(past);
    Symbolic repeated = new RepeatVector(3).apply(enc.get(0));
    Symbolic dec = new LSTM(4).returnSequences(true).apply(repeated, enc.get(1), enc.get(2));
    List<Symbolic> bi = new Bidirectional(new GRU(2).returnState(true)).applyAll(past);
    List<Symbolic> outputs = new ArrayList<>(List.of(new Dense(1).apply(dec)));
    outputs.add(new Dense(1).apply(bi.get(2))); // the backward direction's final h
    return new Model(List.of(past), outputs).seed(12).backend(F32);
  }

  @Test
  void callsThatGiveAndTakeStatesRoundTrip() throws Exception {
    List<NDArray> x = List.of(random(1, 9, 7, 2));
    List<NDArray> y = List.of(random(2, 9, 3, 1), random(3, 9, 1));
    Path file = dir.resolve("encoder-decoder.tsm");
    try (Model m = encoderDecoder()) {
      m.compile(Loss.mse(), new Adam(1e-2));
      m.trainOnBatch(x, y);
      ModelFile.saveFunctional(m, file);
      try (SavedFunctional loaded = ModelFile.loadFunctional(file, F32)) {
        Model l = loaded.model();
        assertEquals(m.nodes(), l.nodes());
        assertEquals(m.outputConnections(), l.outputConnections());
        assertEquals(m.outputShapes(), l.outputShapes());
        List<NDArray> p = m.predict(x);
        List<NDArray> q = l.predict(x);
        for (int k = 0; k < p.size(); k++) {
          assertArrayEquals(p.get(k).data(), q.get(k).data(), "output " + (k + 1));
        }
        assertEquals(m.trainOnBatch(x, y), l.trainOnBatch(x, y));
        assertArrayEquals(
            F32.download(m.parameters().values()).data(),
            F32.download(l.parameters().values()).data());
      }
    }
  }
}
