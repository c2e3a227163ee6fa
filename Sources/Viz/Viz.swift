// Viz — placeholder; being written.
