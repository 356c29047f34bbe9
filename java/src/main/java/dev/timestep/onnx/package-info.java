/**
 * ONNX import and export: {@link dev.timestep.onnx.OnnxExport} writes a built {@link
 * dev.timestep.nn.Sequential} as an ONNX graph (opset 17) that ONNX Runtime and other ONNX tools
 * run, and {@link dev.timestep.onnx.OnnxImport} turns an ONNX graph exported by PyTorch (recurrent
 * layers, 1-D convolutions, dense heads and the reshaping around them) into a Sequential of
 * Timestep's fused layers. The ONNX messages are protobuf classes generated at build time from
 * {@code src/main/proto/onnx_subset.proto}. May import {@code nn}, {@code io}, {@code backend},
 * {@code tensor} and protobuf; nothing below imports this package, and only the CLI above does.
 */
package dev.timestep.onnx;
