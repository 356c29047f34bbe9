/**
 * The {@code timestep} command line (picocli): {@code reproduce}, {@code train}, {@code forecast},
 * {@code backtest}, {@code impute}, {@code bench}, {@code backends}, {@code selfcheck}, {@code
 * import} and {@code export} (ONNX), with the checks of user input and output files and the exit
 * codes. The top of the library: it may import any package, and none imports it.
 */
package dev.timestep.cli;
