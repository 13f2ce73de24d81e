"""Pure Keras network builders: arguments in, an uncompiled ``keras.Model`` out."""

import keras


def dense_network(
    n_features: int,
    *,
    hidden_units: tuple[int, ...] = (64, 32),
    activation: str = "relu",
    dropout: float = 0.2,
    batch_norm: bool = False,
    output_units: int = 1,
    output_activation: str = "sigmoid",
    output_bias: float | None = None,
    output_name: str = "prob_up",
    name: str = "direction_dnn",
) -> keras.Model:
    """A feed-forward network: hidden Dense layers, then the task's output layer.

    With the defaults it is the course's three-Dense-layer direction network (one sigmoid unit).
    With ``batch_norm`` each hidden layer is the course's "improved" block: Dense without
    activation, BatchNormalization, the activation, then Dropout.

    Args:
        n_features: width of the input rows.
        hidden_units: size of each hidden Dense layer, in order.
        activation: activation of the hidden layers (any Keras activation name).
        dropout: dropout rate after each hidden layer (0 turns it off).
        batch_norm: normalise each hidden layer's output before its activation.
        output_units: units of the output layer (1, or the number of classes for softmax).
        output_activation: activation of the output layer (sigmoid, softmax or linear).
        output_bias: initial bias of the output units (a regression starts at the target mean).
        output_name: name of the output layer.
        name: name of the model.

    Example:
        >>> dense_network(10).output.shape
        (None, 1)
        >>> dense_network(4, hidden_units=(8,), batch_norm=True, output_units=3, output_activation="softmax").output.shape
        (None, 3)
    """
    inputs = keras.Input(shape=(n_features,), name="features")
    x = inputs
    for i, units in enumerate(hidden_units, start=1):
        if batch_norm:
            x = keras.layers.Dense(units, use_bias=False, name=f"dense_{i}")(x)
            x = keras.layers.BatchNormalization(name=f"batch_norm_{i}")(x)
            x = keras.layers.Activation(activation, name=f"activation_{i}")(x)
        else:
            x = keras.layers.Dense(units, activation=activation, name=f"dense_{i}")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    bias = "zeros" if output_bias is None else keras.initializers.Constant(output_bias)
    outputs = keras.layers.Dense(output_units, activation=output_activation, bias_initializer=bias, name=output_name)(x)
    return keras.Model(inputs, outputs, name=name)


def recurrent_network(
    window: int,
    n_features: int,
    *,
    cell: str = "lstm",
    units: tuple[int, ...] = (32,),
    dropout: float = 0.0,
    output_units: int = 1,
    output_activation: str = "sigmoid",
    output_name: str = "prob_up",
    name: str | None = None,
) -> keras.Model:
    """Stacked LSTM or GRU layers over a window of timesteps, then the task's output layer.

    With the defaults it is the direction network (one sigmoid unit ``prob_up``, model
    ``direction_<cell>``), as saved in direction bundles.

    Args:
        window: timesteps per sample (days in the window).
        n_features: features per timestep.
        cell: ``"lstm"`` or ``"gru"`` (the cheaper sibling: two gates instead of three).
        units: size of each recurrent layer, in order; all but the last return sequences.
        dropout: dropout on each recurrent layer's inputs.
        output_units: units of the output layer (classes for softmax, horizons for a forecast).
        output_activation: activation of the output layer (sigmoid, softmax or linear).
        output_name: name of the output layer.
        name: name of the model (default ``direction_<cell>``).

    Example:
        >>> recurrent_network(20, 5, cell="gru", units=(16, 8)).output.shape
        (None, 1)
        >>> recurrent_network(12, 1, output_units=3, output_activation="linear", output_name="forecast").output.shape
        (None, 3)
    """
    layer = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[cell]
    inputs = keras.Input(shape=(window, n_features), name="windows")
    x = inputs
    for i, size in enumerate(units, start=1):
        x = layer(size, dropout=dropout, return_sequences=i < len(units), name=f"{cell}_{i}")(x)
    outputs = keras.layers.Dense(output_units, activation=output_activation, name=output_name)(x)
    return keras.Model(inputs, outputs, name=name or f"direction_{cell}")


def autoencoder_network(
    n_features: int,
    *,
    hidden_units: tuple[int, ...] = (16,),
    code_size: int = 4,
    activation: str = "relu",
    code_l1: float = 0.0,
    name: str = "autoencoder",
) -> keras.Model:
    """An undercomplete autoencoder as one Dense chain: encoder, linear code, mirrored decoder.

    ``features -> encoder_1..k (activation) -> code (linear, code_size) -> decoder_k..1
    (activation, the encoder's sizes reversed) -> reconstruction (linear, n_features)``. A chain
    of Dense layers, so ``dense_forward`` runs its inference in NumPy.

    Args:
        n_features: width of the input rows (and of the reconstruction).
        hidden_units: sizes of the encoder's hidden layers; the decoder mirrors them.
        code_size: units of the code (bottleneck) layer.
        activation: activation of the hidden layers.
        code_l1: weight of an L1 activity penalty on the code (a sparse autoencoder); 0 for none.
        name: name of the model.

    Example:
        >>> [layer.units for layer in autoencoder_network(6, hidden_units=(8,), code_size=2).layers[1:]]
        [8, 2, 8, 6]
    """
    inputs = keras.Input(shape=(n_features,), name="features")
    x = _encoder_layers(inputs, hidden_units, activation)
    penalty = keras.regularizers.L1(code_l1) if code_l1 else None
    code = keras.layers.Dense(code_size, activity_regularizer=penalty, name="code")(x)
    outputs = _decoder_layers(code, hidden_units, activation, n_features)
    return keras.Model(inputs, outputs, name=name)


def variational_networks(
    n_features: int,
    *,
    hidden_units: tuple[int, ...] = (16,),
    code_size: int = 4,
    activation: str = "relu",
) -> tuple[keras.Model, keras.Model]:
    """A variational autoencoder's encoder ``features -> [z_mean, z_log_var]`` and decoder
    ``code -> reconstruction``, both Dense layers (sizes as ``autoencoder_network``).

    Example:
        >>> encoder, decoder = variational_networks(6, code_size=2)
        >>> [tuple(t.shape) for t in encoder.outputs], tuple(decoder.output.shape)
        ([(None, 2), (None, 2)], (None, 6))
    """
    inputs = keras.Input(shape=(n_features,), name="features")
    x = _encoder_layers(inputs, hidden_units, activation)
    z_mean = keras.layers.Dense(code_size, name="z_mean")(x)
    z_log_var = keras.layers.Dense(code_size, name="z_log_var")(x)
    encoder = keras.Model(inputs, [z_mean, z_log_var], name="encoder")
    code = keras.Input(shape=(code_size,), name="code")
    decoder = keras.Model(code, _decoder_layers(code, hidden_units, activation, n_features), name="decoder")
    return encoder, decoder


def variational_inference_network(encoder: keras.Model, decoder: keras.Model) -> keras.Model:
    """The saved VAE: ``features -> [reconstruction from z_mean, z_mean, z_log_var]``, flat.

    It shares the encoder's and decoder's layers (and weights) without nesting them, so each
    output is a Dense chain from the input that ``dense_forward`` runs in NumPy, and the model
    loads in safe mode with no custom object.
    """
    z_mean, z_log_var = encoder.outputs
    x = z_mean
    for layer in decoder.layers[1:]:  # past its InputLayer
        x = layer(x)
    return keras.Model(encoder.input, [x, z_mean, z_log_var], name="variational_autoencoder")


def _encoder_layers(x, hidden_units, activation):
    for i, units in enumerate(hidden_units, start=1):
        x = keras.layers.Dense(units, activation=activation, name=f"encoder_{i}")(x)
    return x


def _decoder_layers(x, hidden_units, activation, n_features):
    for i, units in reversed(list(enumerate(hidden_units, start=1))):
        x = keras.layers.Dense(units, activation=activation, name=f"decoder_{i}")(x)
    return keras.layers.Dense(n_features, name="reconstruction")(x)
