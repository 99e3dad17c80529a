"""AluMusic Feedback: the library every function imports."""
