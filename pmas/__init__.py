"""PMAS Monitor: monitoring of a Plano Municipal de Assistência Social.

Everything except ``pmas.ui`` is plain Python, usable without a browser.
"""

__version__ = "0.1.0"
