using FluentValidation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace LinkTracking.Application.Common.Options;

/// <summary>
/// How every options class is registered: bound to its section, checked by its validator at start-up
/// (<c>ValidateOnStart</c>), so a value the service cannot work with stops it with a message naming the key. Each
/// class has a source-generated validator (<c>[OptionsValidator]</c> over its data annotations); a rule spanning
/// fields is a FluentValidation validator added with <see cref="WithRulesAcrossFields{TOptions, TValidator}"/>.
/// An architecture test fails when an options class has no validator registered.
/// </summary>
public static class OptionsRegistration
{
    public static OptionsBuilder<TOptions> AddValidatedOptions<TOptions, TValidator>(this IServiceCollection services, IConfiguration section)
        where TOptions : class
        where TValidator : class, IValidateOptions<TOptions>
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, TValidator>());
        return services.AddOptions<TOptions>().Bind(section).ValidateOnStart();
    }

    /// <summary>Adds a FluentValidation validator for the rules that span fields of <typeparamref name="TOptions"/>.</summary>
    public static OptionsBuilder<TOptions> WithRulesAcrossFields<TOptions, TValidator>(this OptionsBuilder<TOptions> builder)
        where TOptions : class
        where TValidator : class, IValidator<TOptions>, new()
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<TOptions>, FluentOptionsValidator<TOptions, TValidator>>());
        return builder;
    }
}

/// <summary>Runs a FluentValidation validator as an options validator; each failure's message names its key.</summary>
public sealed class FluentOptionsValidator<TOptions, TValidator> : IValidateOptions<TOptions>
    where TOptions : class
    where TValidator : class, IValidator<TOptions>, new()
{
    private readonly TValidator _validator = new();

    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var result = _validator.Validate(options);
        return result.IsValid ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(result.Errors.Select(e => e.ErrorMessage));
    }
}
