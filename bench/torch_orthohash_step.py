#!/usr/bin/python3
"""PyTorch side of `deephash bench train`: one OrthoHash training step on the CPU, timed like
shared/bench/torch_nsh_step.py (5 warm-up steps, median of the timed ones).

Network: the same small CNN (3 conv-BN-ReLU blocks, 32/64/128 filters, max-pool after the first two,
global average pool) -> Linear(128, K, no bias) -> BatchNorm1d(K). Loss: cosine softmax cross-entropy
towards fixed +-1 class codes, scale 8, margin 0.2 (OrthoHash). Adam lr 1e-3, weight decay 5e-4.
Usage: /usr/bin/python3 torch_orthohash_step.py [batch] [bits] [size] [channels] [steps] [threads]"""
import statistics
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

n = int(sys.argv[1]) if len(sys.argv) > 1 else 64
K = int(sys.argv[2]) if len(sys.argv) > 2 else 64
S = int(sys.argv[3]) if len(sys.argv) > 3 else 28
C = int(sys.argv[4]) if len(sys.argv) > 4 else 1
steps = int(sys.argv[5]) if len(sys.argv) > 5 else 30
threads = int(sys.argv[6]) if len(sys.argv) > 6 else 2
classes, scale, margin = 10, 8.0, 0.2
torch.manual_seed(0)
torch.set_num_threads(threads)


def block(i, o, pool):
    layers = [nn.Conv2d(i, o, 3, padding=1), nn.BatchNorm2d(o), nn.ReLU()]
    return nn.Sequential(*(layers + [nn.MaxPool2d(2)] if pool else layers))


net = nn.Sequential(block(C, 32, True), block(32, 64, True), block(64, 128, False), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                    nn.Linear(128, K, bias=False), nn.BatchNorm1d(K))
codes = torch.randint(0, 2, (classes, K)).float() * 2 - 1
opt = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=5e-4)
x = torch.rand(n, C, S, S)
y = torch.randint(0, classes, (n,))
onehot = F.one_hot(y, classes).float()


def step():
    v = net(x)
    cos = F.normalize(v, dim=1) @ F.normalize(codes, dim=1).t()
    loss = -(onehot * F.log_softmax(scale * (cos - margin * onehot), dim=1)).sum(1).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(5):
    step()
ts = []
for _ in range(steps):
    t = time.perf_counter()
    step()
    ts.append(time.perf_counter() - t)
print(f"torch {torch.__version__} threads={torch.get_num_threads()} batch={n} bits={K} input={C}x{S}x{S}: "
      f"median {statistics.median(ts) * 1000:.1f} ms/step, min {min(ts) * 1000:.1f}")
