// Plots — placeholder; being written.
