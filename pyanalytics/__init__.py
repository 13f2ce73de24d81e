"""pyanalytics: stock-direction deep learning you can trust, explain and call from R.

Importing the package is cheap: TensorFlow, Keras and the explainers are imported only where a
model is built, loaded or explained.
"""

__version__ = "0.1.0"
