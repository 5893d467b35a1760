"""Model Lake: a knowledge-graph metadata, lineage and governance service for machine learning."""

__version__ = "0.1.0"
