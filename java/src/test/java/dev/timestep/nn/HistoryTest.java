package dev.timestep.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HistoryTest {
  private static Map<String, Double> logs(Object... pairs) {
    Map<String, Double> m = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      m.put((String) pairs[i], (Double) pairs[i + 1]);
    }
    return m;
  }

  private static History history() {
    History h = new History(new FitParams(5, 4, 0));
    h.add(logs("loss", 0.5, "val_loss", 0.25), 1);
    h.add(logs("loss", 0.125, "val_loss", 0.0625, "learning_rate", 0.001), 1);
    return h;
  }

  @Test
  void eachKeyIsAnArrayOverEpochs() {
    History h = history();
    assertArrayEquals(new double[] {0.5, 0.125}, h.get("loss"));
    assertArrayEquals(new double[] {Double.NaN, 0.001}, h.get("learning_rate"));
    assertEquals(Set.of("loss", "val_loss", "learning_rate"), h.keys());
    assertEquals(List.of(0, 1), h.epoch());
    assertEquals(new FitParams(5, 4, 0), h.params());
    assertThrows(IllegalArgumentException.class, () -> h.get("val_los"));
  }

  @Test
  void toStringIsAnAlignedTable() {
    assertEquals(
        "epoch  loss      val_loss   learning_rate\n"
            + "1      0.500000  0.250000   -\n"
            + "2      0.125000  0.0625000  0.00100000\n",
        history().toString());
    assertEquals("epoch\n", new History().toString());
  }
}
