Console.WriteLine("placeholder: replaced by the benchmarks");
