#!/usr/bin/python3
"""Writes pil_bicubic.json: Pillow's BICUBIC resizes of fixed test images, the reference the Java
port is tested against. Run with Debian's python3-pil (9.4): /usr/bin/python3 make_pil_cases.py"""
import base64, json
from PIL import Image

def image(h, w, c):
    # a fixed pattern with edges and gradients, no randomness (the Java test makes the same)
    data = bytes(((x * 37 + y * 11 + k * 91) ^ (x * y)) & 0xFF for y in range(h) for x in range(w) for k in range(c))
    return Image.frombytes("RGB" if c == 3 else "L", (w, h), data)

cases = []
for (h, w, c), (oh, ow) in [((45, 61, 3), (31, 24)), ((45, 61, 3), (80, 70)), ((20, 17, 1), (9, 40)), ((64, 48, 3), (96, 80))]:
    src = image(h, w, c)
    out = src.resize((ow, oh), Image.BICUBIC)
    cases.append({"h": h, "w": w, "c": c, "oh": oh, "ow": ow,
                  "out": base64.b64encode(out.tobytes()).decode()})
# CLIP's preprocessing: Resize(n) on the shorter side (bicubic), CenterCrop(n)
clip = []
for (h, w), n in [((45, 61), 32), ((61, 45), 32), ((30, 30), 64)]:
    src = image(h, w, 3)
    if w <= h:
        nw, nh = n, int(n * h / w)
    else:
        nh, nw = n, int(n * w / h)
    r = src.resize((nw, nh), Image.BICUBIC)
    top, left = int(round((nh - n) / 2.0)), int(round((nw - n) / 2.0))
    out = r.crop((left, top, left + n, top + n))
    clip.append({"h": h, "w": w, "n": n, "out": base64.b64encode(out.tobytes()).decode()})
json.dump({"pillow": Image.__version__, "resize": cases, "clip": clip}, open("pil_bicubic.json", "w"))
