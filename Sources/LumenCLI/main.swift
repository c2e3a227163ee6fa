print("lumen: being written")
