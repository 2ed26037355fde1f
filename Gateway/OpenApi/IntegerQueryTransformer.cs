using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Mvc.Infrastructure;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Levee.Gateway.OpenApi;

/// <summary>
/// Types the query parameters marked <see cref="IntegerQueryAttribute"/> as integers with their
/// bounds; the framework would document them as the strings they are bound as. An
/// <c>[AsParameters]</c> member is found too: its parameter info carries the constructor
/// parameter's attributes.
/// </summary>
internal sealed class IntegerQueryTransformer : IOpenApiOperationTransformer
{
    /// <inheritdoc />
    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var described in context.Description.ParameterDescriptions)
        {
            if (described.Source != BindingSource.Query
                || (described.ParameterDescriptor as IParameterInfoParameterDescriptor)?.ParameterInfo.GetCustomAttribute<IntegerQueryAttribute>() is not { } bounds
                || operation.Parameters?.OfType<OpenApiParameter>().FirstOrDefault(p => p.In == ParameterLocation.Query && p.Name == described.Name) is not { } parameter)
            {
                continue;
            }
            parameter.Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Integer,
                // A configurable maximum (0 here) is left to the description, and so is the width.
                Format = bounds.Maximum switch { 0 => null, <= int.MaxValue => "int32", _ => "int64" },
                Minimum = bounds.Minimum.ToString(CultureInfo.InvariantCulture),
                Maximum = bounds.Maximum > 0 ? bounds.Maximum.ToString(CultureInfo.InvariantCulture) : null,
            };
        }
        return Task.CompletedTask;
    }
}
