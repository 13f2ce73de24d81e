"""Bridges between pyanalytics and R: r_api (functions shaped for reticulate, R -> Python) and
rpy2_bridge (pandas <-> R data.frames, .rds files and R function calls, Python -> R)."""
