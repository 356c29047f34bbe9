package dev.timestep.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.timestep.models.ChapterModels;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The chapter's table against the model zoo: every trained row has a named model. */
class ChapterRowsTest {

  @Test
  void everyTrainedRowOfTheTableHasANamedModel() {
    Set<Integer> covered = new TreeSet<>();
    ChapterModels.all().forEach(m -> covered.addAll(m.rows()));
    for (ChapterRow row : ChapterRows.all()) {
      boolean naive = row instanceof NaiveRow;
      assertEquals(
          !naive, covered.contains(row.number()), "row " + row.number() + " (" + row.model() + ")");
    }
  }
}
