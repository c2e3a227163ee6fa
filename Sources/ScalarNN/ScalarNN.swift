// ScalarNN — placeholder; being written.
