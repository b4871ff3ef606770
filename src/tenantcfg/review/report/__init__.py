"""The policy-review report: what a reviewer needs to approve who may change sign-in methods."""
