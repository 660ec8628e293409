#!/usr/bin/python3
"""Train the small digit generator that jconv ships as src/jconv-cli/main/resources/dev/jconv/models/digits/.

Usage (from anywhere; takes about a minute on 2 CPU cores):
    /usr/bin/python3 scripts/train-digits.py [--png /tmp/digits-torch.png] [--epochs N] [--out DIR]

Requires Debian's python3-torch, python3-numpy, python3-sklearn (for its bundled digits) and, for the PNG only,
python3-pil. Everything is seeded, so a rerun reproduces the same weights on the same PyTorch build.

The model is a small convolutional VAE trained on scikit-learn's 1,797 8x8 digits, upsampled to 16x16 and
scaled to [-1, 1]. Only its decoder is exported: an nn.Sequential generator that maps a latent [N, 32, 1, 1]
drawn from N(0, 1) to an image [N, 1, 16, 16] in [-1, 1]:
    ConvTranspose2d(32, 32, 4, 1, 0) + BatchNorm2d + ReLU      1x1 -> 4x4
    ConvTranspose2d(32, 16, 4, 2, 1) + BatchNorm2d + ReLU      4x4 -> 8x8
    ConvTranspose2d(16, 8, 4, 2, 1) + BatchNorm2d + ReLU       8x8 -> 16x16
    Conv2d(8, 1, 3, padding=1) + Tanh
(all ConvTranspose2d without bias, since BatchNorm2d follows). A latent of one 32-vector, not a spatial grid:
the prior treats the cells of a grid as independent, and samples made that way came out as patchwork.

It writes into src/jconv-cli/main/resources/dev/jconv/models/digits/:
    net.json, net.safetensors  the generator in eval mode (scripts/export-sequential.py's format)
    latent.npy                 64 latents [64, 32, 1, 1], float32, from torch.manual_seed(LATENT_SEED)
    expected.npy               the generator's eval-mode output on them [64, 1, 16, 16], computed in float64
                               from the float32 weights and latents, rounded to float32
and, with --png, a PNG grid of the 64 expected images, for a look.
"""

import argparse
import importlib.util
import os
import time

# OpenBLAS starts its own threads besides PyTorch's; on 2 cores they only get in each other's way.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "src", "jconv-cli", "main", "resources", "dev", "jconv", "models", "digits")
TRAIN_SEED = 12
LATENT_SEED = 2024
LATENT_SHAPE = (32, 1, 1)
CHANNELS = (32, 16, 8)
NOISE_STD = 0.5


def load_export_module():
    spec = importlib.util.spec_from_file_location("export_sequential", os.path.join(HERE, "export-sequential.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load_digits_16x16():
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise SystemExit("scikit-learn is missing: apt-get install -y python3-sklearn")
    images = torch.tensor(load_digits().images, dtype=torch.float32).unsqueeze(1) / 16.0  # [1797, 1, 8, 8]
    images = F.interpolate(images, size=(16, 16), mode="bilinear", align_corners=False)
    return images.clamp(0, 1) * 2 - 1


def block(in_channels, out_channels, kernel_size=4, stride=2, padding=1):
    return [nn.ConvTranspose2d(in_channels, out_channels, kernel_size, stride, padding, bias=False),
            nn.BatchNorm2d(out_channels), nn.ReLU()]


def make_generator():
    first, second, third = CHANNELS
    return nn.Sequential(*block(LATENT_SHAPE[0], first, 4, 1, 0),   # 1x1 -> 4x4
                         *block(first, second),                      # 4x4 -> 8x8
                         *block(second, third),                      # 8x8 -> 16x16
                         nn.Conv2d(third, 1, 3, padding=1), nn.Tanh())


class Encoder(nn.Module):
    """16x16 image -> the mean and log-variance of the latent."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 4, 2, 1), nn.LeakyReLU(0.2),     # 16 -> 8
            nn.Conv2d(32, 64, 4, 2, 1), nn.LeakyReLU(0.2),    # 8 -> 4
            nn.Conv2d(64, 64, 4, 2, 1), nn.LeakyReLU(0.2))    # 4 -> 2
        self.mean = nn.Conv2d(64, LATENT_SHAPE[0], 2)             # 2 -> 1
        self.log_variance = nn.Conv2d(64, LATENT_SHAPE[0], 2)

    def forward(self, x):
        h = self.features(x)
        return self.mean(h), self.log_variance(h)


def train(images, epochs, batch_size=64):
    torch.manual_seed(TRAIN_SEED)
    encoder, generator = Encoder(), make_generator()
    parameters = list(encoder.parameters()) + list(generator.parameters())
    optimiser = torch.optim.Adam(parameters, lr=2e-3)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimiser, epochs)
    # The reconstruction term is the Gaussian log-likelihood with pixel noise NOISE_STD on the [-1, 1] scale.
    # A smaller NOISE_STD gives sharper reconstructions but leaves holes in the latent space that N(0, 1)
    # samples fall into (they came out as smudges at 0.2 and 0.3); at 0.5 nearly every sample is a digit.
    noise_variance = NOISE_STD ** 2
    loss_per_image = 0.0
    for epoch in range(epochs):
        order = torch.randperm(len(images))
        total = 0.0
        for start in range(0, len(images), batch_size):
            x = images[order[start:start + batch_size]]
            mean, log_variance = encoder(x)
            z = mean + torch.randn_like(mean) * torch.exp(0.5 * log_variance)
            reconstruction = ((generator(z) - x) ** 2).sum() / (2 * noise_variance)
            kl = 0.5 * (mean ** 2 + log_variance.exp() - 1 - log_variance).sum()
            loss = (reconstruction + kl) / len(x)
            optimiser.zero_grad()
            loss.backward()
            optimiser.step()
            total += loss.item() * len(x)
        schedule.step()
        loss_per_image = total / len(images)
        if epoch % 10 == 0 or epoch == epochs - 1:
            print(f"epoch {epoch:3d}  loss per image {loss_per_image:.2f}", flush=True)
    return generator, loss_per_image


def save_png(images, path):
    from PIL import Image
    grid = images.reshape(8, 8, 16, 16).transpose(0, 2, 1, 3).reshape(128, 128)
    pixels = np.clip((grid + 1) * 127.5, 0, 255).astype(np.uint8)
    Image.fromarray(pixels, mode="L").resize((512, 512), Image.NEAREST).save(path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=100)
    parser.add_argument("--png", help="also write a PNG grid of the 64 expected images here")
    parser.add_argument("--out", default=OUT, help="where to write the model (default: the shipped resource)")
    args = parser.parse_args()
    # One thread: on this 2-core machine, two threads (OpenMP plus OpenBLAS's own pthreads) made a training step
    # 25 times slower (1.0 s against 0.04 s), from the threads oversubscribing the cores.
    torch.set_num_threads(1)

    images = load_digits_16x16()
    started = time.monotonic()
    generator, final_loss = train(images, args.epochs)
    seconds = time.monotonic() - started
    print(f"trained {args.epochs} epochs in {seconds:.1f} s; final loss per image {final_loss:.2f}")

    generator.eval()
    torch.manual_seed(LATENT_SEED)
    latent = torch.randn(64, *LATENT_SHAPE)
    with torch.no_grad():
        expected = generator.double()(latent.double()).float()
    generator.float()

    load_export_module().export(generator, args.out)
    np.save(os.path.join(args.out, "latent.npy"), latent.numpy().astype("<f4"))
    np.save(os.path.join(args.out, "expected.npy"), expected.numpy().astype("<f4"))
    if args.png:
        save_png(expected.numpy(), args.png)
    sizes = {name: os.path.getsize(os.path.join(args.out, name)) for name in sorted(os.listdir(args.out))}
    print(f"wrote {os.path.normpath(args.out)}: {sizes}")


if __name__ == "__main__":
    main()
