Console.WriteLine("placeholder: replaced by the load generator");
