"""Feature extraction with torchvision's MobileNetV2 (random weights: the same architecture and FLOPs as the
pretrained one) on the CPU: the yardstick of `bench/run backbone`. Debian: apt-get install python3-torchvision.
    /usr/bin/python3 torch_mobilenet_features.py BATCH SIZE STEPS THREADS
Prints the median time of one batch (pooled 1280-d features, inference mode, no gradients) and images/s."""
import statistics
import sys
import time

import torch
import torchvision

batch, size, steps, threads = (int(a) for a in sys.argv[1:5])
torch.set_num_threads(threads)
torch.manual_seed(0)
net = torchvision.models.mobilenet_v2().features.eval()
x = torch.rand(batch, 3, size, size)
times = []
with torch.inference_mode():
    for i in range(steps + 3):
        t = time.perf_counter()
        f = net(x).mean(dim=(2, 3))
        if i >= 3:
            times.append(time.perf_counter() - t)
ms = statistics.median(times) * 1000
print(f"PyTorch {torch.__version__} torchvision mobilenet_v2 batch={batch} size={size} threads={threads}: "
      f"median {ms:.1f} ms/batch, {batch / ms * 1000:.1f} images/s")
