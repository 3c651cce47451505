"""sitegen: a static site generator for newcomers' information portals."""

__version__ = "0.1.0"
