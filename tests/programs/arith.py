# Integer and float arithmetic, big ints, reprs.
print(1 + 2, 7 - 10, 6 * 7, 7 / 2, 7 // 2, -7 // 2, 7 % 3, -7 % 3, 2 ** 10, 2 ** -1)
print(2 ** 100, -(2 ** 63), 2 ** 63 - 1 + 1, (10 ** 30) // 7, (10 ** 30) % 7)
print(0.1 + 0.2, 1e16, 1e-5, 123.456, -0.0, 1.0, 3.0 * 2)
print(divmod(17, 5), divmod(-17, 5), abs(-3), abs(-2.5), round(2.5), round(3.5), round(1.2345, 2))
print(int("42"), int("-0x1f", 16), int(" 7 "), float("1.5"), int(3.9), int(-3.9))
print(True + True, 5 & 3, 5 | 3, 5 ^ 3, ~5, 1 << 70, -1 >> 3)
print(max(3, 1, 2), min([4, 2, 8]), sum([1, 2, 3]), sum([0.5, 0.25]), pow(3, 4, 5))
print(hex(255), oct(8), bin(5), chr(65), ord("a"))
print(1 < 2 < 3, 1 < 3 < 2, 2 == 2.0, 1 != 1.0)
x = 10
x += 5; x *= 2; x -= 1; x //= 3
print(x)
