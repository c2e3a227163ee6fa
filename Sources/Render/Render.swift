// Render — placeholder; being written.
