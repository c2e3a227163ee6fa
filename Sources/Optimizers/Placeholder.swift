// Optimizers — being written (issue 4); this file only lets the target build until its first commit.
