"""Pure Keras network builders: arguments in, an uncompiled ``keras.Model`` out."""

import keras


def dense_network(
    n_features: int,
    *,
    hidden_units: tuple[int, ...] = (64, 32),
    activation: str = "relu",
    dropout: float = 0.2,
) -> keras.Model:
    """A feed-forward direction network: hidden Dense layers, then one sigmoid unit.

    With the default two hidden layers it is the course's three-Dense-layer network.

    Args:
        n_features: width of the input rows.
        hidden_units: size of each hidden Dense layer, in order.
        activation: activation of the hidden layers (any Keras activation name).
        dropout: dropout rate after each hidden layer (0 turns it off).

    Example:
        >>> dense_network(10).output.shape
        (None, 1)
    """
    inputs = keras.Input(shape=(n_features,), name="features")
    x = inputs
    for i, units in enumerate(hidden_units, start=1):
        x = keras.layers.Dense(units, activation=activation, name=f"dense_{i}")(x)
        if dropout:
            x = keras.layers.Dropout(dropout, name=f"dropout_{i}")(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="prob_up")(x)
    return keras.Model(inputs, outputs, name="direction_dnn")


def recurrent_network(
    window: int,
    n_features: int,
    *,
    cell: str = "lstm",
    units: tuple[int, ...] = (32,),
    dropout: float = 0.0,
) -> keras.Model:
    """Stacked LSTM or GRU layers over a window of days, then one sigmoid unit.

    Args:
        window: timesteps per sample (days in the window).
        n_features: features per timestep.
        cell: ``"lstm"`` or ``"gru"`` (the cheaper sibling: two gates instead of three).
        units: size of each recurrent layer, in order; all but the last return sequences.
        dropout: dropout on each recurrent layer's inputs.

    Example:
        >>> recurrent_network(20, 5, cell="gru", units=(16, 8)).output.shape
        (None, 1)
    """
    layer = {"lstm": keras.layers.LSTM, "gru": keras.layers.GRU}[cell]
    inputs = keras.Input(shape=(window, n_features), name="windows")
    x = inputs
    for i, size in enumerate(units, start=1):
        x = layer(size, dropout=dropout, return_sequences=i < len(units), name=f"{cell}_{i}")(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", name="prob_up")(x)
    return keras.Model(inputs, outputs, name=f"direction_{cell}")
