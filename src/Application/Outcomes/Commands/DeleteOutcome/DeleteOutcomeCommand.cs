using LinkTracking.Application.Common.Exceptions;
using LinkTracking.Application.Common.Interfaces;
using Mediator;

namespace LinkTracking.Application.Outcomes.Commands.DeleteOutcome;

/// <summary>Deletes one outcome of an application (one reported by mistake).</summary>
public sealed record DeleteOutcomeCommand(Guid ApplicationId, Guid Id) : ICommand;

public sealed class DeleteOutcomeCommandHandler(IApplicationOutcomeRepository outcomes, IUnitOfWork unitOfWork) : ICommandHandler<DeleteOutcomeCommand>
{
    public async ValueTask<Unit> Handle(DeleteOutcomeCommand command, CancellationToken cancellationToken)
    {
        var outcome = await outcomes.FindAsync(command.ApplicationId, command.Id, cancellationToken)
            ?? throw NotFoundException.For("Outcome", command.Id);
        outcomes.Remove(outcome);
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
