"""Learning to rank from past outcomes (features, LambdaMART fitting with a guard, re-ranking)."""
