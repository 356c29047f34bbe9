/**
 * The model file: its container (JSON header, tensor table, checksums), the codecs that turn each
 * layer's configuration and weights into it and back, and the atomic writes that every output file
 * of the library goes through. May import {@code nn}, {@code optim}, {@code autodiff}, {@code
 * backend}, {@code tensor} and Jackson; nothing from the workflows.
 */
package dev.timestep.io;
