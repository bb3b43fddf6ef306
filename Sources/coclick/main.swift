print("coclick")
