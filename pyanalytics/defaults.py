"""Model names and defaults every front end offers, declared once.

The command line builds its choices and defaults from here, the R package asks for them through
``pyanalytics.interop.r_api.defaults``, and the library uses the same values. This module
imports nothing, so ``pyanalytics --help`` stays fast.
"""

MODEL_NAMES = ("dnn", "lstm", "gru")  # the keys of pyanalytics.models.MODELS, in this order
SEQUENCE_MODEL_NAMES = ("lstm", "gru")  # the models that read windows of past days
# The keys of pyanalytics.models.AUTOENCODERS and the rules of pyanalytics.evaluation.thresholds, in this order.
AUTOENCODER_NAMES = ("autoencoder", "sparse", "denoising", "variational")
THRESHOLD_RULE_NAMES = ("precision", "recall", "top_k", "fraction", "cost", "quantile")
DEFAULT_WINDOW = 20  # days per input window of a sequence model
# What the commands, the walk-forward and the R functions charge unless told otherwise: a
# typical commission plus spread for liquid US stocks, so headline figures are after costs.
DEFAULT_COST_BPS = 5.0
# The tabular network of ``pyanalytics.tabular.train_tabular`` and ``pyanalytics fit``.
DEFAULT_NETWORK = {"hidden_units": (16, 8), "activation": "relu", "dropout": 0.0, "batch_norm": False,
                   "learning_rate": 1e-3, "batch_size": 32, "epochs": 200, "patience": 20}
