"""What the program, the policy pack and the offline commands share about a stack, without Pulumi.

Its project and spec path (``project.py``), its ``Pulumi.<stack>.yaml`` (``config.py``),
the names the program gives resources (``naming.py``), what a program registered
(``registrations.py``) and the policy pack's config derived from a spec (``packconfig.py``).
Below both the Pulumi side (``deploy``) and the review.
"""
