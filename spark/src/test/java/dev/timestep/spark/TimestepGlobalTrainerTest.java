package dev.timestep.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.timestep.backend.Backends;
import dev.timestep.data.series.LongFormat;
import dev.timestep.data.series.ManySeries;
import dev.timestep.data.series.TimeFormat;
import dev.timestep.models.ChapterModels;
import dev.timestep.pipeline.GapFill;
import dev.timestep.pipeline.TrainingSettings;
import dev.timestep.pipeline.panel.GlobalModel;
import dev.timestep.pipeline.panel.GlobalTrainer;
import dev.timestep.tensor.NDArray;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class TimestepGlobalTrainerTest {
  static TimestepGlobalTrainer trainer() {
    return new TimestepGlobalTrainer()
        .setIdCol("store")
        .setTimeCol("date")
        .setValueCol("value")
        .setModel("linear")
        .setWindow(12)
        .setHorizon(1)
        .setEpochs(4)
        .setLearningRate(0.01)
        .setSeason(12);
  }

  /** The series of {@link TimestepPerSeriesTest} without the short one, in id order. */
  static ManySeries inIdOrder(Map<String, float[]> series) {
    List<String> ids = new ArrayList<>();
    List<LocalDateTime> times = new ArrayList<>();
    List<Float> values = new ArrayList<>();
    series.keySet().stream()
        .sorted()
        .forEach(
            id -> {
              float[] v = series.get(id);
              for (int t = 0; t < v.length; t++) {
                ids.add(id);
                times.add(Fixtures.month(t).atStartOfDay());
                values.add(v[t]);
              }
            });
    float[] column = new float[values.size()];
    for (int i = 0; i < column.length; i++) {
      column[i] = values.get(i);
    }
    return LongFormat.group(
        "local",
        TimeFormat.DATE,
        ids.toArray(new String[0]),
        times.toArray(new LocalDateTime[0]),
        List.of("value"),
        new float[][] {column});
  }

  static Map<String, float[]> series() {
    Map<String, float[]> s = TimestepPerSeriesTest.series();
    s.remove("short");
    return s;
  }

  @Test
  void onePartitionAndSyncEveryBatchEqualsGlobalTrainerBitForBit() {
    Map<String, float[]> series = series();
    TimestepGlobalTrainer.Result spark =
        trainer()
            .setPartitions(1)
            .setSyncEvery(1)
            .train(TimestepPerSeriesTest.frame(LocalSpark.get(), series));
    GlobalTrainer.Result local =
        GlobalTrainer.train(
            inIdOrder(series), "value", localSettings(), GapFill.LINEAR, 0, 12, "spark", "date");
    try (GlobalModel a = spark.model();
        GlobalModel b = local.model()) {
      assertEquals(b.ids(), a.ids());
      List<NDArray> wa = a.network().model().getWeights();
      List<NDArray> wb = b.network().model().getWeights();
      for (int i = 0; i < wa.size(); i++) {
        assertArrayEquals(wb.get(i).data(), wa.get(i).data(), 0, "weights " + i);
      }
      assertArrayEquals(local.history().get("loss"), spark.loss()[0], 0);
      assertArrayEquals(b.forecast("s2", 3, 0).mean(), a.forecast("s2", 3, 0).mean(), 0);
    }
  }

  @Test
  void twoPartitionsAveragingEveryFourBatchesLearnLikeOneProcessPerUpdate() {
    Map<String, float[]> series = series();
    GlobalTrainer.Result local =
        GlobalTrainer.train(
            inIdOrder(series), "value", localSettings(), GapFill.LINEAR, 0, 12, "spark", "date");
    local.model().close();
    TimestepGlobalTrainer.Result two =
        trainer()
            .setPartitions(2)
            .setSyncEvery(4)
            .train(TimestepPerSeriesTest.frame(LocalSpark.get(), series));
    try (GlobalModel b = two.model()) {
      assertEquals(local.model().ids(), b.ids().stream().sorted().toList()); // from both tasks
      double[] one = local.history().get("loss");
      System.out.println("loss per epoch, 1 process:             " + Arrays.toString(one));
      for (int p = 0; p < 2; p++) {
        double[] l = two.loss()[p];
        System.out.println("loss per epoch, 2 partitions, task " + p + ": " + Arrays.toString(l));
        assertTrue(l[l.length - 1] < l[0] / 2, "task " + p + " learns: " + Arrays.toString(l));
      }
      // Each task takes half the steps per epoch, so 4 epochs on 2 shards make as many updates
      // as 2 epochs in one process.
      double last = (two.loss()[0][3] + two.loss()[1][3]) / 2;
      assertTrue(last < 1.5 * one[1], "final loss " + last + " vs " + one[1] + " after 2 epochs");
      // one average at each epoch's end, and one more in an epoch of 4 batches or more
      assertTrue(two.syncs() >= 4 && two.syncs() <= 8, "averages: " + two.syncs());
    }
  }

  @Test
  void aFailedBarrierTaskRetriesTheStageAndGivesTheSameModel() {
    Map<String, float[]> series = series();
    TimestepGlobalTrainer trainer = trainer().setPartitions(2).setSyncEvery(4).setEpochs(2);
    TimestepGlobalTrainer.Result clean =
        trainer.train(TimestepPerSeriesTest.frame(LocalSpark.get(), series));
    List<String> attempts = new CopyOnWriteArrayList<>();
    TaskFaults.setAfterWork(
        t -> {
          attempts.add(t.partitionId() + "/" + t.stageAttemptNumber());
          // after its last average: the other task may have finished, yet both train again
          if (t.partitionId() == 0 && t.stageAttemptNumber() == 0) {
            throw new IllegalStateException("injected failure of the first attempt");
          }
        });
    TimestepGlobalTrainer.Result retried;
    try {
      retried = trainer.train(TimestepPerSeriesTest.frame(LocalSpark.get(), series));
    } finally {
      TaskFaults.setAfterWork(null);
    }
    assertTrue(attempts.containsAll(List.of("0/0", "0/1", "1/1")), attempts.toString());
    try (GlobalModel a = clean.model();
        GlobalModel b = retried.model()) {
      assertEquals(a.ids(), b.ids());
      List<NDArray> wa = a.network().model().getWeights();
      List<NDArray> wb = b.network().model().getWeights();
      for (int i = 0; i < wa.size(); i++) {
        assertArrayEquals(wa.get(i).data(), wb.get(i).data(), 0, "weights " + i);
      }
      for (int p = 0; p < 2; p++) {
        assertArrayEquals(clean.loss()[p], retried.loss()[p], 0, "loss of task " + p);
      }
      assertEquals(clean.syncs(), retried.syncs());
    }
  }

  static TrainingSettings localSettings() {
    return TrainingSettings.of(ChapterModels.named("linear"), 12, 1, Backends.auto())
        .withEpochs(4)
        .withSeed(0)
        .withLearningRate(0.01);
  }

  @Test
  void moreShardsThanTaskSlotsIsRefusedBeforeAnyTask() {
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                trainer()
                    .setPartitions(3)
                    .train(TimestepPerSeriesTest.frame(LocalSpark.get(), series())));
    assertEquals(
        "global training: 3 partitions need as many task slots at once (barrier mode), but the"
            + " cluster has 2",
        e.getMessage());
  }
}
