"""The explain tests' market and models: only ``volume_z_20`` carries the signal."""

SIGNAL = "volume_z_20"
MARKET = {"n_days": 3000, "signal_strength": 3.0, "signal": "volume", "seed": 3}
DNN_PARAMS = {"hidden_units": (16, 8), "batch_size": 64, "epochs": 40, "patience": 5}
LSTM_WINDOW = 10
LSTM_PARAMS = {"units": (16,), "batch_size": 64, "epochs": 30, "patience": 5}
RANKED_CASES = 100  # the most recent dates explained by the ranking tests
# LIME's perturbed samples per case in the ranking tests (the default is 5000). The LSTM's local
# model has a weight per feature and lag (170 of them); the per-feature view sums ten noisy lag
# weights, so it needs more samples than the DNN's 17 weights for the same precision.
LIME_SAMPLES = {"dnn": 1000, "lstm": 3000}
