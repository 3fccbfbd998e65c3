// SPDX-License-Identifier: MIT
/*
 * The smallest C program: what a process costs to start and end, for the
 * start-cost benchmark (bench/workloads.py, Start).
 */
int main(void)
{
	return 0;
}
