"""Slide L2's target, "the number of fragments 11", written as a Python function and
typeset with latexify-py; checked against the built-in count("11") on all 64 images.

    python derivations/count11_target.py
"""

import symcnn as sc


def count_11(p_11, p_12, p_13, p_21, p_22, p_23):
    return p_11 * p_12 + p_12 * p_13 + p_21 * p_22 + p_22 * p_23


def main() -> None:
    print(sc.function_latex(count_11, name="Y"))
    built_in = sc.count_pattern("11")
    images = list(sc.binary_images((1, 2, 3)))
    agree = sum(count_11(*image.flat) == built_in(image) for image in images)
    print(f"agrees with count('11') on {agree} of {len(images)} binary 2x3 images")


if __name__ == "__main__":
    main()
