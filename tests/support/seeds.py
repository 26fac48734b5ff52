"""The four seed scripts' training loops, the independent reference for the presets (tests/engine) and the
baseline the engine is timed against (bench/bench_engine.py): the one copy of them in the repository.

Each is the script's own code, changed only where the test needs it (marked ``# test:``): an explicit
``np.random.seed`` where the script had none, the epoch count as an argument, the printed numbers recorded
instead of printed, and for seed 003 the bias gradient summed over the batch and the preset's 2-D data.
Seed 002's ``FFNN`` is at module level so the benchmark can time it without the test's recording
(``record=False``).
"""
from __future__ import annotations

import numpy as np


def seed_000(epochs=60000):
    def Sigmoid(Z, Deriv=False):
        P = np.reciprocal(1 + np.exp(-Z))
        if Deriv is False:
            return P
        else:
            return Z * (1 - Z)

    X = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    Y = np.array([[0],
                  [1],
                  [1],
                  [0]])

    np.random.seed(1)
    W1 = 2 * np.random.random((3, 4)) - 1
    W2 = 2 * np.random.random((4, 1)) - 1
    logged = {}  # test: the printed errors, by epoch

    for j in range(epochs):  # test: epochs
        L0 = X
        L1 = Sigmoid(np.dot(L0, W1))
        L2 = Sigmoid(np.dot(L1, W2))

        L2_Error = Y - L2

        if j % 1000 == 0:
            logged[j] = np.mean(np.abs(L2_Error))  # test: was print("Error: " + ...)

        L2_Delta = L2_Error * Sigmoid(L2, Deriv=True)
        L1_Error = L2_Delta.dot(W2.T)
        L1_Delta = L1_Error * Sigmoid(L1, Deriv=True)

        W2 += L1.T.dot(L2_Delta)
        W1 += L0.T.dot(L1_Delta)
    return [W1, W2], logged, L2


def seed_001(iterations=1000):
    np.random.seed(1)

    def sigmoid(x):
        return 1 / (1 + np.exp(-x))

    def derv_sigmoid(x):
        return x * (1 - x)

    learningRate = 1
    x = np.array([[0, 0, 1], [0, 1, 1], [1, 0, 1], [1, 1, 1]])
    y = np.array([[0, 1, 1, 0]]).T
    input_rows = 4
    weight1 = np.random.random((3, input_rows))
    weight2 = np.random.random((input_rows, 1))
    a0 = x
    logged = []  # test: mean |y - a2| of every iteration, for comparison
    for _iter in range(0, iterations):
        z1 = x @ weight1
        a1 = sigmoid(z1)
        z2 = a1 @ weight2
        a2 = sigmoid(z2)
        delta2 = (y - a2)
        logged.append(np.mean(np.abs(delta2)))  # test
        dC_dw2 = delta2 * derv_sigmoid(a2)
        dC_dw1 = (np.multiply(dC_dw2, weight2.T)) * derv_sigmoid(a1)
        weight2 = weight2 + learningRate * np.dot(a1.T, dC_dw2)
        weight1 = weight1 + learningRate * np.dot(a0.T, dC_dw1)
    return [weight1, weight2], logged, a2


def sigmoid(input, derivative=False):  # seed 002's
    if derivative:
        return sigmoid(input) * (1 - sigmoid(input))
    return 1 / (1 + np.exp(-input))


class FFNN:  # seed 002's
    def __init__(self, learning_rate, num_epochs, other_backward=False, record=True):  # test: the last two
        self.w1 = np.random.randn(30, 5)
        self.w2 = np.random.randn(5, 3)
        self.learning_rate = learning_rate
        self.num_epochs = num_epochs
        self.other_backward, self.record = other_backward, record  # test
        self.logged = []  # test: mean |y - a2| over the epoch's three forward passes

    def forward(self, input):
        self.z1 = np.dot(input, self.w1)
        self.a1 = sigmoid(self.z1)
        self.z2 = np.dot(self.a1, self.w2)
        self.a2 = sigmoid(self.z2)

    def backward(self, input, error):
        if self.other_backward:  # test: the other code's backward, chosen by an argument
            error2 = error
        else:
            error2 = error * sigmoid(self.z2, derivative=True)
        d2 = np.dot(self.a1.T, error2)
        error1 = np.dot(self.w2, error2.T).T * sigmoid(self.z1, derivative=True)
        d1 = np.dot(input.T, error1)
        self.w1 -= d1 * self.learning_rate
        self.w2 -= d2 * self.learning_rate

    def train(self, inputs, labels):
        for _ in range(self.num_epochs):
            errors = []  # test
            for input, label in zip(inputs, labels, strict=True):
                self.forward(input)
                if self.record:  # test
                    errors.append(np.abs(self.a2 - label))  # test
                self.backward(input, self.a2 - label)
            if self.record:  # test
                self.logged.append(np.mean(errors))  # test

    def test(self, inputs):
        outputs = []
        for input in inputs:
            self.forward(input)
            outputs.append(self.a2[0])  # test: was print + plt.imshow
        return np.array(outputs)


SEED_002_PIXELS = {  # seed 002's own letters; test_engine_seeds' bit-for-bit match needs engine.datasets' equal
    "A": [0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1, 1, 0, 0, 0, 0, 1],
    "B": [0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 1, 1, 1, 0],
    "C": [0, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 1, 1, 1, 0],
}


def seed_002_net(seed, epochs=100, other_backward=False, record=True):
    """(the trained ``FFNN``, its inputs) after ``epochs`` of seed 002's loop from ``np.random.seed(seed)``."""
    np.random.seed(seed)  # test: the script had no seed
    net = FFNN(learning_rate=0.1, num_epochs=epochs, other_backward=other_backward, record=record)
    y = np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]])
    x = [np.array(SEED_002_PIXELS[c]).reshape(1, 30) for c in "ABC"]
    net.train(x, y)
    return net, x


def seed_002(seed, epochs=100, other_backward=False):
    net, x = seed_002_net(seed, epochs, other_backward)
    return [net.w1, net.w2], net.logged, net.test(x)


def seed_003(seed, inputs, labels, epocs=1000):
    class Layer():  # noqa: UP039 - as the script wrote it
        def __init__(self, number_of_neurons, number_of_inputs):
            self.weights = np.random.rand(number_of_neurons, number_of_inputs)
            self.bias = np.random.rand(number_of_neurons, 1)

    class NeralNetwork():  # noqa: UP039
        def __init__(self, layer1, layer2, layer3):
            self.layer1 = layer1
            self.layer2 = layer2
            self.layer3 = layer3
            self.costs, self.printed = [], {}  # test

        def sigmoid(self, x):
            return 1 / (1 + np.exp(-x))

        def derivative_sigmoid(self, x):
            return x * (1 - x)

        def get_cost_value(self, Y_hat, Y):
            m = Y_hat.shape[1]
            cost = -1 / m * (np.dot(Y, np.log(Y_hat).T) + np.dot(1 - Y, np.log(1 - Y_hat).T))
            return np.squeeze(cost)

        def get_cost_derivative(self, Y_hat, Y):
            return - (np.divide(Y, Y_hat) - np.divide(1 - Y, 1 - Y_hat))

        def train(self, inputs, labels, epocs):
            for epoc in range(1, epocs + 1):
                z1 = np.dot(self.layer1.weights, inputs) + self.layer1.bias
                a1 = self.sigmoid(z1)
                z2 = np.dot(self.layer2.weights, a1) + self.layer2.bias
                a2 = self.sigmoid(z2)
                z3 = np.dot(self.layer3.weights, a2) + self.layer3.bias
                a3 = self.sigmoid(z3)
                if epoc % 100 == 0:  # test: was `is 0`, a SyntaxWarning
                    self.printed[epoc] = a3.copy()  # test: was print(a3)

                cost = self.get_cost_value(a3, labels)
                self.costs.append(float(cost))  # test: was computed and left unused

                layer3_delta = self.derivative_sigmoid(a3) * self.get_cost_derivative(a3, labels)
                Dw_layer3 = np.dot(layer3_delta, a2.T)
                Db_layer3 = layer3_delta.sum(axis=1, keepdims=True)  # test: summed over the batch
                layer2_delta = np.dot(self.layer3.weights.T, layer3_delta) * self.derivative_sigmoid(a2)
                Dw_layer2 = np.dot(layer2_delta, a1.T)
                Db_layer2 = layer2_delta.sum(axis=1, keepdims=True)  # test: summed

                layer1_delta = np.dot(self.layer2.weights.T, layer2_delta) * self.derivative_sigmoid(a1)
                Dw_layer1 = np.dot(layer1_delta, inputs.T)
                Db_layer1 = layer1_delta.sum(axis=1, keepdims=True)  # test: summed

                self.layer1.weights -= ((1 / epoc) * Dw_layer1)
                self.layer2.weights -= ((1 / epoc) * Dw_layer2)
                self.layer3.weights -= ((1 / epoc) * Dw_layer3)

                self.layer1.bias -= ((1 / epoc) * Db_layer1)
                self.layer2.bias -= ((1 / epoc) * Db_layer2)
                self.layer3.bias -= ((1 / epoc) * Db_layer3)

    np.random.seed(seed)  # test: the script had no seed; layers built in order 2→5, 5→5, 5→1
    net = NeralNetwork(Layer(5, 2), Layer(5, 5), Layer(1, 5))
    net.train(inputs, labels, epocs)
    layers = (net.layer1, net.layer2, net.layer3)
    return [ly.weights for ly in layers], [ly.bias for ly in layers], net.costs, net.printed
