"""The Python API of training on every image: any callable target, typeset where
latexify-py can, and the accuracy of what was learned."""

import symcnn as sc


def count_11(p_11, p_12, p_13, p_21, p_22, p_23):
    return p_11 * p_12 + p_12 * p_13 + p_21 * p_22 + p_22 * p_23


def loop_target(image):
    found = 0
    for row in image[0]:
        found += int(row[0] == row[1] == 1)
    return found


def network():
    return sc.Network(
        sc.Input(height=2, width=3),
        sc.Conv2D(1, (1, 2), bias=True, activation="relu"),
        sc.Dense(1),
    )


def test_a_python_target_trains_on_every_image_to_all_right():
    net = network()
    data = sc.every_image_data(net, count_11)
    assert len(data) == 64
    result = sc.train(net, data, loss="mean_squared_error")
    found = sc.accuracy(net, result, data, loss="mean_squared_error")
    assert (found.right, found.total) == (64, 64)


def test_a_few_samples_leave_images_wrong():
    net = network()
    few = sc.Dataset.from_rows([("000/000", 0), ("010/110", 1)])
    result = sc.train(net, few)
    found = sc.accuracy(net, result, sc.every_image_data(net, count_11))
    assert found.right < 64


def test_accuracy_of_weights_by_name():
    net = network()
    weights = {"w_{1}": 1, "w_{2}": 1, "b": -1, "w_{11,0}": 1, "w_{12,0}": 1,
               "w_{21,0}": 1, "w_{22,0}": 1, "b_{0}": 0}  # fmt: skip
    found = sc.accuracy(net, weights, sc.every_image_data(net, sc.count_pattern("11")))
    assert (found.right, found.wrong) == (64, ())


def test_targets_are_typeset_with_latexify_or_named_with_a_reason():
    assert sc.target_formula(count_11).latex == (
        "Y(p_{11}, p_{12}, p_{13}, p_{21}, p_{22}, p_{23}) = "
        "p_{11} p_{12} + p_{12} p_{13} + p_{21} p_{22} + p_{22} p_{23}"
    )
    assert sc.target_formula(sc.count_pattern("1/1")).latex == (
        r"Y(P) = \text{the number of times 1/1 occurs in } P"
    )
    looped = sc.target_formula(loop_target)
    assert (looped.latex, looped.typeset) == (r"Y(P) = \mathrm{loop\_target}(P)", False)
    assert looped.note.startswith("not typeset: latexify-py cannot turn 'loop_target'")
    anonymous = sc.target_formula(lambda image: 0)
    assert anonymous.note == (
        "not typeset: a lambda is no function written with def, the only kind "
        "latexify-py reads"
    )


def summed(image):
    return image.sum()


def test_a_method_call_latexify_drops_the_object_of_falls_back_to_the_name():
    # latexify-py writes image.sum() as \sum(), without `image`
    found = sc.target_formula(summed)
    assert (found.latex, found.typeset) == (r"Y(P) = \mathrm{summed}(P)", False)
    assert found.note == (
        "not typeset: latexify-py drops the object of a method call such as "
        "a.sum(); write sum(a) or np.sum(a)"
    )
