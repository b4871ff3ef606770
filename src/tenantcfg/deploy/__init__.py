"""The Pulumi side: the component and program, the run under mocks, the CrossGuard policies.

Only these modules (and the commands that run them) import Pulumi.
"""
