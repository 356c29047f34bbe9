package dev.timestep.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SeriesPrecisionTest {
  @Test
  void decimalsAreThoseTheValuesWereWrittenWith() {
    assertEquals(1, SeriesPrecision.decimals(new float[] {317.2f, 318f}));
    assertEquals(2, SeriesPrecision.decimals(new float[] {317.19f, Float.NaN, 2}));
    assertEquals(0, SeriesPrecision.decimals(new float[] {1200, 5}));
    assertEquals(6, SeriesPrecision.decimals(new float[] {(float) Math.PI / 1000}));
    assertEquals(4, SeriesPrecision.forecastDecimals(new float[] {317.25f}));
  }

  @Test
  void formatRoundsToPlainText() {
    assertEquals("317.2000", SeriesPrecision.format(317.19998f, 4));
    assertEquals("-0.12", SeriesPrecision.format(-0.125, 2));
    assertEquals("1200", SeriesPrecision.format(1200.4, 0));
  }
}
