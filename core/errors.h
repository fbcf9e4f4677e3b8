// Typed errors thrown inside core/ and training/. Each thread catches them once at its
// boundary (worker, CLI command, dialog) and shows the message; library code never exits.
#pragma once

#include <stdexcept>
#include <string>

namespace tinyseek {

// Base of every error the library throws on bad input or bad state.
struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// A config.json (or preset) has a bad field: the message names file, field, expected, got.
struct ConfigError : Error {
    using Error::Error;
};

// A checkpoint or safetensors file is missing, truncated, corrupt or does not match.
struct CheckpointError : Error {
    using Error::Error;
};

// Numerical trouble (NaN/Inf in loss or gradients).
struct NumericError : Error {
    using Error::Error;
};

// Work abandoned because its cancel flag was raised (a training step, an evaluation, a
// measurement); what it had not finished is dropped.
struct Cancelled : Error {
    using Error::Error;
};

}  // namespace tinyseek
