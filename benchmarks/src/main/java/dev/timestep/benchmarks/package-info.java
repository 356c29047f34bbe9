/**
 * Speed measurements, outside the library: JMH benchmarks of ops, layers, chapter models and
 * scaling sweeps; the PyTorch peer runs; and the two reports (the CPU report, {@link
 * dev.timestep.benchmarks.BenchReport}, and the GPU speed table, {@link
 * dev.timestep.benchmarks.SpeedTable}). May import any library package except {@code cli}, plus JMH
 * and JFreeChart.
 */
package dev.timestep.benchmarks;
