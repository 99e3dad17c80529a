"""The weekly digest: stats in SQL, PT-BR prose, the e-mail, stored and sent once per week."""
