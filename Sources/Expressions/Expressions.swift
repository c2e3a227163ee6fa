// Expressions — placeholder; being written.
